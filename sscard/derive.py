"""PINs computed from a resident ID number (sscard pin ... --id ID)."""

from __future__ import annotations

from sscard.i18n import _
from sscard.errors import UsageError
from sscard.model import Text
from sscard.output import is_terminal


def read_id(value: str, env) -> str:
    """The ID text: the option's value, or for '-' the first stdin line (keeps it out of shell
    history and the process list); on a terminal it is asked for without echo."""
    if value == "-":
        if is_terminal(env.stdin):
            import getpass

            try:
                line = getpass.getpass(_("ID number (not shown): "), stream=env.stderr)
            except EOFError:
                line = ""
        else:
            line = env.stdin.readline()
        if not line.strip():
            raise UsageError(_("--id -: no ID number on standard input"))
        return line.strip()
    return value


def apply_id(answer, value: str, env):
    """The answer with every ID-derived initial PIN worked out for this ID, the ID masked."""
    from sscard import idcard

    try:
        number = idcard.validate(read_id(value, env))
    except idcard.IdError as exc:
        raise UsageError(f"--id: {_id_message(exc)}",
                         hint=_("the 18-character resident ID number; use --id - to read it from stdin")) from None
    items, derived = [], 0
    worked: dict = {}  # id(rule item) -> the item with its PIN worked out
    for item in answer.items:
        if not item.derive:
            items.append(item)
            continue
        try:
            pin = idcard.derive(item.derive, number)
        except idcard.IdError as exc:
            raise UsageError(f"--id: {_id_message(exc)}") from None
        first, last = idcard.RULES[item.derive]
        masked = idcard.mask(number, first, last)
        derived += 1
        worked[id(item)] = item.replace(
            value=Text(pin, pin),
            text=Text(f"{item.text.zh}（按身份证 {masked} 算出：{pin}）",
                      f"{item.text.en} (worked out from ID {masked}: {pin})"),
        )
        items.append(worked[id(item)])
    if not derived:
        env.say(_("no initial PIN here is derived from the ID number; showing the rules as they are"))
    # the key facts lead with the worked-out PIN too, not the rule it came from
    keys = tuple(k.replace(fact=worked.get(id(k.fact), k.fact)) for k in answer.key_facts)
    return answer.replace(items=tuple(items), key_facts=keys)


def _id_message(exc) -> str:
    from sscard import i18n

    return exc.message_zh if i18n.language() == "zh" else exc.message
