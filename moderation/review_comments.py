"""Reviewers comment without edit rights: their comments travel in the editor's form,
and only that part of the form is kept."""

from wagtail.models import Page


def save_review_comments(request, obj):
    """Save the comments and replies ``request`` carries for the page ``obj``, and nothing
    else of the form; returns how many comments or replies are new. Wagtail's comment
    forms already refuse edits to someone else's comment."""
    if not isinstance(obj, Page):
        return 0  # only pages take comments in Wagtail
    form_class = type(obj).get_edit_handler().get_form_class()
    form = form_class(
        request.POST,
        request.FILES,
        instance=obj,
        parent_page=obj.get_parent(),
        for_user=request.user,
    )
    comments = form.formsets.get("comments")
    if comments is None or not comments.management_form.is_valid() or not comments.is_valid():
        return 0
    comments.save()
    new = list(comments.new_objects)
    for comment in new:
        comment.log_create(user=request.user)
    for comment_form in comments.forms:
        replies = comment_form.formsets["replies"]
        for reply in getattr(replies, "new_objects", []):
            reply.log_create(user=request.user)
            new.append(reply)
    return len(new)
