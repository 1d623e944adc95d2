"""The one gate every page, and every snippet with a draft state, passes to go live.

Wagtail has many ways to make something live: the Publish action, workflow approval,
bulk publish, copy with "Publish copies", aliases, revert, scheduled go-live, the API,
``revision.publish()`` and a plain ``save()`` from a shell. They all end in the model's
``save()``, so the gate sits there (``ModeratedMixin.save`` for our models, a
``pre_save`` receiver for any other page) and in ``publish()``:

- a version goes live only if a finished workflow run of *that object* approved it, and
  enough distinct people other than its submitter and last editor approved (four eyes,
  two people by default: ``moderation.models.ApprovalRule``);
- a live object's content changes only by publishing another approved version;
- an alias shows exactly what its live, approved source shows;
- the content's own rules (``publish_problems``: consent, review dates, jurisdiction) hold.

Unpublishing is never checked: it only makes things safer.
"""

import json

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from wagtail.log_actions import log
from wagtail.models import (
    COMMENTS_RELATION_NAME,
    DraftStateMixin,
    Page,
    TaskState,
    WorkflowState,
)

PUBLISH_REFUSED = "moderation.publish_refused"

# Fields that record where an object sits and how it was published, not what it says.
NOT_CONTENT = {
    "path",
    "depth",
    "numchild",
    "url_path",
    "content_type",
    "owner",
    "first_published_at",
    "last_published_at",
    "go_live_at",
    "expire_at",
    "locked",
    "locked_at",
    "locked_by",
}
# Fields whose change makes an object live, or live with another version.
GOING_LIVE_FIELDS = {"live", "live_revision"}

DEFAULT_DISTINCT_APPROVERS = 2


class PublishRefused(PermissionDenied):
    def __init__(self, reasons, obj=None):
        self.reasons = list(reasons)
        self.obj = obj
        self.log_entry = None
        super().__init__("Publishing was refused: " + " ".join(self.reasons))


# -- What a version says ----------------------------------------------------------------


def _value(field, obj):
    return json.dumps(
        field.get_prep_value(field.value_from_object(obj)),
        cls=DjangoJSONEncoder,
        sort_keys=True,
        default=str,
    )


def content_of(obj, exclude=()):
    """What visitors could read of ``obj``: its editable fields, many-to-many choices and
    inline children, in a form that compares equal when nothing visible changed."""
    skip = NOT_CONTENT | set(exclude)
    content = {
        field.name: _value(field, obj)
        for field in obj._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in skip
    }
    for field in obj._meta.many_to_many:
        if field.name not in skip and hasattr(field, "value_from_object"):
            content[field.name] = sorted(
                getattr(o, "pk", o) for o in field.value_from_object(obj) or []
            )
    try:
        from modelcluster.models import get_all_child_relations
    except ImportError:  # pragma: no cover
        return content
    for relation in get_all_child_relations(obj):
        name = relation.get_accessor_name()
        if name == COMMENTS_RELATION_NAME or name in skip:
            continue
        parent_key = relation.field.name
        content[name] = [
            content_of(child, exclude={parent_key, "sort_order"}) | {"#": index}
            for index, child in enumerate(getattr(obj, name).all())
        ]
    return content


# -- Who approved it --------------------------------------------------------------------


def required_approvers(workflow_id):
    from moderation.models import ApprovalRule

    rule = ApprovalRule.objects.filter(workflow_id=workflow_id).first()
    return rule.distinct_approvers if rule else DEFAULT_DISTINCT_APPROVERS


def approved_run(obj, revision):
    """The finished, approved workflow run of ``obj`` that ended on ``revision``."""
    if revision is None or revision.pk is None or obj.pk is None:
        return None
    if str(revision.object_id) != str(obj.pk) or (
        revision.base_content_type_id != obj.get_base_content_type().pk
    ):
        # A copy carries its source's live revision: that run approved another object.
        return None
    runs = WorkflowState.objects.filter(
        base_content_type_id=revision.base_content_type_id,
        object_id=revision.object_id,
        status=WorkflowState.STATUS_APPROVED,
    )
    state = runs.filter(current_task_state__revision_id=revision.pk).order_by("-created_at")
    state = state.first()
    if state is None or runs.filter(created_at__gt=state.created_at).exists():
        # A later approval supersedes it: an old version (a revert) is reviewed again.
        return None
    return state


def run_approvers(state, revision):
    """The people, other than the submitter and the version's last editor, who approved
    ``revision`` in the run ``state``."""
    authors = {pk for pk in (state.requested_by_id, revision.user_id) if pk}
    return set(
        TaskState.objects.filter(
            workflow_state=state,
            revision_id=revision.pk,
            status=TaskState.STATUS_APPROVED,
            finished_by__isnull=False,
        )
        .exclude(finished_by_id__in=authors)
        .values_list("finished_by_id", flat=True)
    )


def workflow_problems(obj, revision):
    """Why ``revision`` of ``obj`` lacks a finished, four-eyes workflow approval."""
    if revision is None or revision.pk is None:
        return ["It has no saved version to publish: submit it for moderation."]
    state = approved_run(obj, revision)
    if state is None:
        if obj.pk is None or str(revision.object_id) != str(obj.pk):
            return [
                "A copy goes live only through its own moderation workflow: copy it "
                "without publishing, then submit the copy for moderation."
            ]
        return [
            "This version has not been approved through its moderation workflow: "
            "submit it for moderation instead of publishing it directly."
        ]
    approvers = run_approvers(state, revision)
    needed = max(1, required_approvers(state.workflow_id))
    if not approvers:
        return [
            "This version was only approved by the person who wrote or submitted it; "
            "a second person must approve it."
        ]
    if len(approvers) < needed:
        return [
            f"This version needs approvals from {needed} different people other than its "
            f"submitter and last editor; it has {len(approvers)}."
        ]
    return task_problems(state, obj, revision)


def task_problems(state, obj, revision):
    """What the run's approving tasks say against publishing ``obj`` now: a task type
    with ``publish_problems(task_state, obj)`` (the patient's sign-off) vets it."""
    problems = []
    approved = TaskState.objects.filter(
        workflow_state=state, revision_id=revision.pk, status=TaskState.STATUS_APPROVED
    ).select_related("task")
    for task_state in approved:
        check = getattr(task_state.task.specific, "publish_problems", None)
        if check is not None:
            problems += check(task_state, obj)
    return problems


def content_problems(obj):
    problems = getattr(obj, "publish_problems", None)
    return list(problems()) if problems else []


def refusal_reasons(obj, revision):
    return workflow_problems(obj, revision) + content_problems(obj)


# -- Refusing and logging ---------------------------------------------------------------


def log_refusal(obj, reasons, user=None):
    """An audit log entry; None when the object has no row to log against yet."""
    if obj is None or obj.pk is None:
        return None
    return log(instance=obj, action=PUBLISH_REFUSED, user=user, data={"reasons": reasons})


def ensure_logged(refusal, user=None, fallback=None):
    """Log ``refusal`` again if the transaction that logged it was rolled back (a refused
    copy, move or approval rolls back everything, its first log entry included). A
    refused object that no longer exists (a copy) is logged on ``fallback``."""
    entry = refusal.log_entry
    if entry is not None and type(entry).objects.filter(pk=entry.pk).exists():
        return entry
    obj = refusal.obj
    if obj is None or obj.pk is None or not type(obj)._base_manager.filter(pk=obj.pk).exists():
        obj = fallback
    refusal.log_entry = log_refusal(obj, refusal.reasons, user)
    return refusal.log_entry


def refuse(obj, reasons, user=None):
    refusal = PublishRefused(reasons, obj)
    refusal.log_entry = log_refusal(obj, reasons, user)
    raise refusal


def refuse_unless_publishable(obj, revision, user=None):
    reasons = refusal_reasons(obj, revision)
    if reasons:
        refuse(obj, reasons, user)


def is_gated(obj):
    return isinstance(obj, Page | DraftStateMixin) and getattr(obj, "depth", 2) != 1


def save_problems(obj, update_fields=None):
    """Why saving ``obj`` as it stands would make unapproved content live."""
    if not obj.live:
        return []  # a draft, or an unpublish: always allowed
    fields = set(update_fields) if update_fields is not None else None
    if fields is not None and not fields & (GOING_LIVE_FIELDS | set(content_of_field_names(obj))):
        return []  # bookkeeping (latest revision, lock, tree position)
    model = type(obj)
    stored = model._base_manager.filter(pk=obj.pk).first() if obj.pk else None

    if getattr(obj, "alias_of_id", None):
        return alias_problems(obj)
    going_live = (
        stored is None or not stored.live or stored.live_revision_id != obj.live_revision_id
    )
    if going_live:
        revision = obj.live_revision
        reasons = workflow_problems(obj, revision)
        if not reasons and content_of(obj) != content_of(obj.with_content_json(revision.content)):
            reasons.append(
                "What is being made live differs from the approved version: only an "
                "approved version goes live."
            )
        return reasons + content_problems(obj)
    if content_of(obj) != content_of(stored):
        return [
            "This changes live content without review: save a draft and submit it "
            "for moderation; the change goes live once approved."
        ]
    if isinstance(obj, Page) and stored.url_path != obj.url_path:
        # Moved: its rules must hold where it now is (Wagtail moves a plain Page row).
        specific = obj if type(obj) is obj.specific_class else obj.specific
        specific.path, specific.url_path = obj.path, obj.url_path
        return content_problems(specific)
    return []


def content_of_field_names(obj):
    return content_of(obj).keys()


def alias_problems(alias):
    """An alias shows its source's content: only while the source is live with an
    approved version, unchanged, and the alias's own rules (its site) hold."""
    source = Page.objects.filter(pk=alias.alias_of_id).specific().first()
    if source is None or not source.live:
        return ["An alias goes live only with its live source page."]
    if approved_run(source, source.live_revision) is None:
        return [
            f"The page this aliases (\u201c{source.title}\u201d) is live without an approved "
            "moderation workflow: its alias can't be published."
        ]
    if content_of(alias, exclude={"slug"}) != content_of(source, exclude={"slug"}):
        return ["An alias must show exactly what its approved source shows."]
    return content_problems(alias)


# -- The mixin and the catch-all --------------------------------------------------------


class ModeratedMixin:
    """For page and snippet models that go live only through moderation.

    Subclasses override ``publish_problems`` with their own rules (consent, review
    dates, jurisdiction), each reason a sentence an editor can act on.
    """

    def publish_problems(self):
        return []

    def get_workflow(self):
        # The workflow assigned to the content type comes first (pages included), so
        # that every story page and article gets its default workflow wherever it sits
        # in the tree; a page-tree assignment applies only to types without one.
        return type(self).get_default_workflow() or super().get_workflow()

    def publish(self, revision, user=None, **kwargs):
        try:
            refuse_unless_publishable(revision.as_object(), revision, user)
        except PublishRefused:
            if revision.approved_go_live_at:
                # A refused scheduled go-live is dropped, not retried every minute.
                revision.approved_go_live_at = None
                revision.save(update_fields=["approved_go_live_at"])
            raise
        return super().publish(revision, user=user, **kwargs)

    publish.alters_data = True

    def save(self, *args, **kwargs):
        # Checked before Page.save opens its transaction, so the log entry stays.
        reasons = save_problems(self, kwargs.get("update_fields"))
        if reasons:
            refuse(self, reasons)
        return super().save(*args, **kwargs)


def gate_every_other_page(sender, instance, update_fields=None, raw=False, **kwargs):
    """pre_save, for every model: pages and draft-state snippets that are not
    ModeratedMixin (Wagtail's own ``Page`` rows, as a move saves them) pass the same gate."""
    if raw or isinstance(instance, ModeratedMixin) or not is_gated(instance):
        return
    reasons = save_problems(instance, update_fields)
    if reasons:
        refuse(instance, reasons)


__all__ = [
    "PUBLISH_REFUSED",
    "ModeratedMixin",
    "PublishRefused",
    "content_of",
    "ensure_logged",
    "log_refusal",
    "refusal_reasons",
    "refuse_unless_publishable",
    "workflow_problems",
]
