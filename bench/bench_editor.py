"""Benchmark: the scenario editor's rerun after a field edit, through the real app (AppTest).

A 10-step scenario draft (every field filled in) is opened in the editor; then a step's
text is changed and the page reruns, as when an author leaves a field. Prints medians of
several runs: opening the draft, a field edit, and moving to another step.
Run: python bench/bench_editor.py [--steps 10] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def scenario(item_id: str, steps: int) -> dict:
    out = []
    for n in range(steps):
        nxt = f"steg-{n + 2}" if n + 1 < steps else None
        choices = []
        for c in range(3):
            choice = {"text": f"Du gjør valg {c + 1} i steg {n + 1}.", "points": 2 - c,
                      "feedback": f"Barnet merker hva du gjør i steg {n + 1}. Det kjennes trygt eller ikke.",
                      "tags": ["trygger"] if c == 0 else ["lukker"]}
            if nxt and c < 2:
                choice["next"] = nxt
            choices.append(choice)
        out.append({"id": "start" if n == 0 else f"steg-{n + 1}", "title": f"Steg nummer {n + 1}",
                    "text": f"Noe skjer i steg {n + 1}. Et barn ser på deg.", "choices": choices})
    return {"id": item_id, "title": "Benk", "intro": "Personene er oppdiktet. Du er lærer.", "setting": "skole",
            "version": 1, "pass_percent": 70, "steps": out}


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms (min {min(samples) * 1000:.0f}, n={len(samples)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LEARNING_DATA_DIR"] = tmp
        os.environ["LEARNING_CONTENT_DIR"] = str(ROOT)
        os.environ.pop("LEARNING_DATABASE_URL", None)
        from streamlit.testing.v1 import AppTest
        from streamlit.util import calc_hash

        from learning import bootstrap
        from learning.content.bundle import Kind
        from learning.records import Role
        from learning.services.accounts import AccountService

        settings = bootstrap.Settings.from_env()
        repo = bootstrap.open_repository(settings)
        accounts = AccountService(repo)
        admin = accounts.create_first_admin(username="admin", password="admin-passord", name="Admin",
                                            email="admin@example.invalid", municipality="0301")
        author = accounts.create_user(admin, username="forf", password="passord123", name="Forfatter", email="",
                                      municipality="0301", role=Role.AUTHOR, service_area=None, unit="")
        from learning.content.catalog import load_catalog
        from learning.services.authoring import AuthoringService

        service = AuthoringService(repo, load_catalog(ROOT), ROOT)
        service.create(author, Kind.QUIZ, "benk", "Benk")
        _, problems = service.save_quiz(author, "benk", scenario("benk", args.steps))
        assert not problems, problems

        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
        at.run()
        next(x for x in at.text_input if x.label == "Brukernavn").input("forf")
        next(x for x in at.text_input if x.label == "Passord").input("passord123")
        next(b for b in at.button if b.label == "Logg inn").click().run()
        at._page_hash = calc_hash("forfatter-scenario")
        at.run()
        start = time.perf_counter()
        at.selectbox(key="author-pick-quiz").set_value("benk").run()
        opened = time.perf_counter() - start
        middle = args.steps // 2
        at.button(key=f"q-nav{middle}").click().run()
        assert not at.exception, at.exception

        edits: list[float] = []
        for n in range(args.runs):
            widget = at.text_area(key=f"q-s{middle}-text")
            start = time.perf_counter()
            widget.input(f"Noe skjer i steg {middle + 1}. Et barn ser på deg ({n}).").run()
            edits.append(time.perf_counter() - start)
        assert not at.exception, at.exception
        moves: list[float] = []
        for n in range(min(args.runs, args.steps)):
            start = time.perf_counter()
            at.button(key=f"q-nav{n % args.steps}").click().run()
            moves.append(time.perf_counter() - start)
        print(f"scenario editor, {args.steps} steps, 3 choices each (AppTest, whole app script)")
        print(f"  open the draft:           {opened * 1000:.0f} ms (once)")
        print(f"  field edit, rerun:        {median_ms(edits)}")
        print(f"  move to another step:     {median_ms(moves)}")


if __name__ == "__main__":
    main()
