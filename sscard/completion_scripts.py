"""The Tab-completion scripts for bash, zsh and fish, and installing them.

Each script hands the line typed so far (up to the cursor) to `sscard` in COMP_LINE with
_SSCARD_COMPLETE naming the shell; sscard.completion answers in the shell's own format
(bash: one value a line; zsh: value:description for _describe; fish: value<TAB>description).
"""

from __future__ import annotations

import os

from sscard.commandtable import SHELLS
from sscard.errors import UsageError
from sscard.i18n import _

BASH = """\
# Tab completion for sscard in bash. Load it from ~/.bashrc:  eval "$(sscard --show-completion bash)"
# or put this file in ~/.local/share/bash-completion/completions/sscard
_sscard_complete() {
    local IFS=$'\\n'
    COMPREPLY=($(COMP_LINE="${COMP_LINE:0:$COMP_POINT}" _SSCARD_COMPLETE=complete_bash "$1" 2>/dev/null))
}
complete -F _sscard_complete sscard
"""

ZSH = """\
#compdef sscard
# Tab completion for sscard in zsh. Save this file as _sscard in a folder on $fpath (before
# compinit runs), or load it from ~/.zshrc after compinit:  eval "$(sscard --show-completion zsh)"
_sscard() {
  local -a offers
  offers=("${(@f)$(COMP_LINE="$LBUFFER" _SSCARD_COMPLETE=complete_zsh ${words[1]} 2>/dev/null)}")
  offers=(${offers:#})
  (( ${#offers} )) && _describe -t sscard-values 'sscard' offers
}
if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
  _sscard "$@"
else
  compdef _sscard sscard
fi
"""

FISH = """\
# Tab completion for sscard in fish. Save this file as ~/.config/fish/completions/sscard.fish
# or load it from config.fish:  sscard --show-completion fish | source
complete --command sscard --no-files --arguments \
'(env COMP_LINE=(commandline --cut-at-cursor --current-process | string join " ") _SSCARD_COMPLETE=complete_fish sscard 2>/dev/null)'
"""

SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH}


def script(shell: str) -> str:
    return SCRIPTS[shell]


def detect_shell(environ) -> str:
    """The shell named by $SHELL, if it is one sscard completes for."""
    name = os.path.basename(environ.get("SHELL", "") or "")
    if name in SHELLS:
        return name
    raise UsageError(_("cannot tell which shell to complete for ($SHELL is {shell})").format(shell=repr(name)),
                     hint=_("name it: --show-completion bash, zsh or fish"))


def install(shell: str, environ) -> str:
    """Write the shell's script where it loads completions from; a message saying where."""
    home = environ.get("HOME") or os.path.expanduser("~")
    rc: str | None
    if shell == "bash":
        data = environ.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share")
        target = os.path.join(data, "bash-completion", "completions", "sscard")
        rc, line = os.path.join(home, ".bashrc"), f"[ -f {_quoted(target)} ] && . {_quoted(target)}"
    elif shell == "zsh":
        target = os.path.join(home, ".zfunc", "_sscard")
        rc, line = os.path.join(home, ".zshrc"), "fpath+=~/.zfunc; autoload -Uz compinit; compinit"
    else:
        config = environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
        target = os.path.join(config, "fish", "completions", "sscard.fish")
        rc, line = None, ""  # fish reads its completions folder itself: no line to add
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(SCRIPTS[shell])
        added = False
        if rc is not None:
            try:
                with open(rc, encoding="utf-8") as handle:
                    present = line in handle.read()
            except FileNotFoundError:
                present = False
            if not present:
                with open(rc, "a", encoding="utf-8") as handle:
                    handle.write(f"\n{line}  # sscard Tab completion\n")
                added = True
    except OSError as exc:
        raise UsageError(_("cannot install the completion script: {reason}").format(
            reason=f"{exc.filename or target}: {exc.strerror or exc}")) from None
    message = _("{shell} completion installed in {path}; open a new shell to use it").format(shell=shell, path=target)
    if added:
        message += "; " + _("added a line to {path}").format(path=rc)
    return message


def _quoted(path: str) -> str:
    import shlex

    return shlex.quote(path)
