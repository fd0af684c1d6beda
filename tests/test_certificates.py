"""Course certificates: the PDF's text, a code that verifies, forged codes that do not, the public page."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from learning.errors import UserError
from learning.formatting import fmt_date
from learning.records import Role
from learning.services.accounts import AccountService
from learning.services.assignments import AssignmentService
from learning.services.certificate_pdf import certificate_pdf
from learning.services.certificates import CertificateService, normalise
from learning.services.gdpr import PersonalDataService
from learning.services.learning import LearningService

from .helpers import NOW, admin_and_accounts, make_user
from .test_renewal import Clock, complete

MODULE = "prove-modul"
SECRET = b"a-test-secret-of-at-least-32-characters"


@pytest.fixture
def world(repo, fixture_content):
    clock = Clock()
    accounts, admin = admin_and_accounts(repo)
    manager = make_user(accounts, admin, "leder", role=Role.MANAGER, area=None, unit="")
    kari = make_user(accounts, admin, "kari")
    kari = repo.update_user(kari.id, lambda u: u.model_copy(update={"name": "Åse Ødegård Bråten"}))
    return (clock, admin, manager, kari, LearningService(repo, fixture_content, clock=clock),
            CertificateService(repo, fixture_content, clock=clock, secret=SECRET))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_says_who_what_when_until_when_and_its_code_verifies(world, repo, fixture_content):
    clock, admin, manager, kari, learning, certificates = world
    AssignmentService(repo, fixture_content, clock=clock).create(
        manager, municipality="0301", module_id=MODULE, deadline=NOW.date() + timedelta(days=30), renew_months=24)
    with pytest.raises(UserError):
        certificates.mine(kari, MODULE)
    complete(learning, kari)
    cert = certificates.mine(kari, MODULE)
    assert cert.expires == date(2028, 11, 23)
    text = " ".join(pdf_text(certificate_pdf(cert)).split())
    for expected in ("Kursbevis", "Åse Ødegård Bråten", "fra Oslo kommune", "Prøvemodul", "Versjon 1",
                     "fullført 23.11.2026", "Gyldig til 23.11.2028", "Utstedt av MITT LIV Oppvekst", cert.code):
        assert expected in text, expected
    verified = certificates.verify(cert.code)
    assert verified is not None and verified.module_title == "Prøvemodul"
    assert verified.completed_on == NOW
    assert certificates.verify(" " + cert.code.lower() + " ") is not None   # as typed, in any case
    assert normalise(cert.code) == cert.code


def test_forged_altered_and_foreign_codes_do_not_verify(world, repo, fixture_content):
    _, admin, _, kari, learning, certificates = world
    complete(learning, kari)
    code = certificates.mine(kari, MODULE).code
    user_part, mac = code.rsplit("-", 1)
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    other = make_user(AccountService(repo), admin, "ola")
    for forged in (f"{user_part}-{flipped}", f"{other.id}-{mac}", "0301-000000000000-AAAAAAAAAAAAAAAA", "", "x" * 500,
                   code + "A"):
        assert certificates.verify(forged) is None, forged
    elsewhere = CertificateService(repo, fixture_content, secret=b"another-secret-of-at-least-32-chars!")
    assert elsewhere.verify(code) is None                      # the code is only good with this server's secret


def test_a_retake_keeps_the_old_certificate_valid_and_erasure_ends_it(world, repo):
    clock, admin, _, kari, learning, certificates = world
    complete(learning, kari)
    first = certificates.mine(kari, MODULE).code
    clock.now = NOW + timedelta(days=400)
    learning.restart_module(kari, MODULE)
    complete(learning, kari)
    second = certificates.mine(kari, MODULE).code
    assert first != second
    assert certificates.verify(first).completed_on == NOW
    assert certificates.verify(second).completed_on == clock.now
    PersonalDataService(repo).anonymise(admin, kari.id, confirm="kari")
    assert certificates.verify(second) is None


@pytest.mark.tinydb_only  # the page flow; the store is covered by the service tests
def test_min_laering_offers_the_pdf_and_the_public_page_checks_a_code_without_sign_in(data_dir, fixture_content,
                                                                                      served):
    from .apptest_helpers import click, create_first_admin, goto, new_app, restart_app, sign_in
    from .test_app_learner import learner
    from .test_renewal import complete as finish

    create_first_admin(new_app())
    learner(data_dir)
    from tests.stores import open_store
    repo = open_store(data_dir)
    kari = repo.find_user("kari")
    finish(LearningService(repo, fixture_content), kari)
    at = sign_in(restart_app(), "kari", "kari-passord")
    goto(at, "min-laering")
    assert "Kursbevis" in [h.value for h in at.header]
    pdf = served["kursbevis-prove-modul.pdf"]()
    text = " ".join(pdf_text(pdf).split())
    assert "Kari Lærer" in text and "Prøvemodul" in text
    code = text.split("Kontrollkode")[1].split()[0]

    at = restart_app()                                          # signed out
    goto(at, "kursbevis")
    assert [t.value for t in at.title] == ["Kontroller kursbevis"]
    next(x for x in at.text_input if x.label == "Kontrollkode").input(code)
    click(at, "Kontroller")
    done = fmt_date(repo.progress_for(kari.id)[MODULE].completed_at)
    assert [s.value for s in at.success] == [f"Gyldig kursbevis: «Prøvemodul», fullført {done}."]
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    next(x for x in at.text_input if x.label == "Kontrollkode").input(forged)
    click(at, "Kontroller")
    assert at.error and "ikke gyldig" in at.error[0].value
