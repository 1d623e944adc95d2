from wagtail import hooks

from moderation.publishing import PUBLISH_REFUSED


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    def refused_message(data):
        return "Publishing refused: " + " ".join(data.get("reasons", []))

    actions.register_action(PUBLISH_REFUSED, "Publishing refused", refused_message)
