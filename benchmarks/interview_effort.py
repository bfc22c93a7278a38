"""What a full interview costs a drafter: questions asked and keys pressed.

    python benchmarks/interview_effort.py [--instrument som] [--strategy yes|partly|no]

Runs the installed `palermo assess` in a pseudo-terminal of 80 columns, as a user does, and
answers every prompt as a drafter would: by the question's type with one strategy throughout
(yes: 'y', the first option; partly: 'p', the second option, the first two options; no: 'n',
the last option, 'none'); one citation after each answer that asks for provisions; Enter at
any other prompt (a note, a confirmation). Keystrokes count every character typed plus Enter.
This prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
from pathlib import Path

QUESTION = re.compile(r"\[((?:untoc|tip|som|firearms)\.[a-z0-9_]+)\]")
PROMPT_END = re.compile(r"[:>?] $")
CITATION = "Penal Code 2015, s. 1"


def palermo() -> list[str]:
    found = shutil.which("palermo")
    return [found] if found else [sys.executable, "-m", "palermo"]


def question_types(cmd: list[str], instrument: str, catalog: list[str]) -> dict[str, dict]:
    args = [*cmd, "questions", "--instrument", instrument, "--format", "json", *catalog]
    out = subprocess.run(args, capture_output=True, text=True,  # noqa: S603 - our own command
                         check=True).stdout
    return {q["id"]: q for q in json.loads(out)}


def reply(question: dict, strategy: str) -> str:
    last = len(question.get("options", []))
    return {
        "yes_partly_no": {"yes": "y", "partly": "p", "no": "n"}[strategy],
        "choice": {"yes": "1", "partly": str(min(2, last)), "no": str(last)}[strategy],
        "multi_choice": {"yes": "1", "partly": "1,2" if last > 1 else "1",
                         "no": "none"}[strategy],
        "date": "2019-06-03",
        "citations": "Penal Code 2015, s. 2; Criminal Procedure Code, s. 3",
        "text": "Official Gazette No. 12 of 2019",
    }[question["type"]]


def drive(cmd: list[str], file: Path, instrument: str, strategy: str,
          catalog: list[str]) -> dict:
    questions = question_types(cmd, instrument, catalog)
    pid, fd = pty.fork()
    if pid == 0:  # the child: a user's terminal of 80 columns
        os.execvp(cmd[0], [*cmd, "assess", str(file), "--state", "Testland",  # noqa: S606
                           "--instruments", instrument, *catalog])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 80, 0, 0))
    screen, pending = "", ""
    asked: list[str] = []
    keys = lines = 0
    current: str | None = None
    cited = False
    while True:
        ready, _, _ = select.select([fd], [], [], 0.3)
        if ready:
            try:
                chunk = os.read(fd, 65536).decode("utf-8", "replace")
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
            pending += chunk
            continue
        # Output has paused: answer the prompt on the last line, if there is one.
        last = pending.replace("\r", "").split("\n")[-1]
        if not PROMPT_END.search(last):
            continue
        found = QUESTION.findall(pending)
        if found and found[-1] != current:
            current, cited = found[-1], False
        if current is not None and (not asked or asked[-1] != current) and found:
            asked.append(current)
        if last.lower().startswith(("citation", "provision")):
            typed, cited = ("" if cited else CITATION), True
        elif found and current in questions:
            typed = reply(questions[current], strategy)
        else:
            typed = ""  # a note, a confirmation: Enter
        os.write(fd, (typed + "\n").encode())
        keys += len(typed) + 1
        lines += 1
        pending = ""
        if lines > 5000:
            sys.exit("the interview does not end")
    _, status = os.waitpid(pid, 0)
    return {"questions": len(asked), "distinct": len(set(asked)), "keystrokes": keys,
            "lines": lines, "exit": os.waitstatus_to_exitcode(status), "tail": screen[-400:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instrument", default="som")
    parser.add_argument("--strategy", default="yes", choices=["yes", "partly", "no"])
    parser.add_argument("--catalog", help="an obligations folder (default: the bundled one), "
                        "to compare interviews on one questionnaire")
    options = parser.parse_args()
    cmd = palermo()
    catalog = ["--catalog", options.catalog] if options.catalog else []
    with tempfile.TemporaryDirectory() as tmp:
        result = drive(cmd, Path(tmp) / "testland.yaml", options.instrument, options.strategy,
                       catalog)
    print(f"full {options.instrument} interview, strategy '{options.strategy}': "
          f"{result['questions']} questions, {result['keystrokes']} keystrokes "
          f"({result['lines']} lines typed), exit {result['exit']}")
    if result["exit"] != 0:
        print(result["tail"])


if __name__ == "__main__":
    main()
