from wagtail import hooks

from signoff.services import LOG_ACTIONS


@hooks.register("register_log_actions")
def register_sign_off_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)
