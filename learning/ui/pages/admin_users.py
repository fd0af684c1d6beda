"""Users and units: an admin for any municipality, a municipal admin for their own.

Placement (municipality, service area, unit) and role are set here, never by the
user: they decide which modules are required and who sees a person's results.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from learning.content.models import ServiceArea
from learning.formatting import fmt_date, local
from learning.i18n import current_language, t
from learning.municipalities import all_municipalities, label
from learning.records import Role, Unit, User
from learning.services.accounts import TEMPORARY_DAYS
from learning.services.authz import GIVEN_BY_MUNICIPAL_ADMIN, USER_ADMIN_ROLES
from learning.services.gdpr import PersonalDataService, inactive_months
from learning.services.units import UnitService
from learning.ui.components import area_label, run_action
from learning.ui.context import accounts, repository
from learning.ui.list_view import table_or_cards
from learning.ui.pages.admin_pending import pending_section
from learning.ui.pages.staff_import import import_section
from learning.ui.rerun_cache import session_cached, shared_figures
from learning.ui.session import require

AREAS: list[ServiceArea | None] = [None, *[a for a in ServiceArea if a != ServiceArea.ALLE]]


FLASH = "admin-flash"
PAGE_SIZE = 50  # users per page: the table and the edit and erase choosers show these only
SEARCH, PAGE = "admin-users-search", "admin-users-page"


@dataclass(frozen=True)
class Listing:
    """One page of a municipality's users as the page shows it, kept in the session until the store changes."""

    by_id: dict[str, User]
    rows: list[dict[str, str]]   # the table: this page only
    labels: dict[str, str]       # user id -> "Name (username)" in the choosers
    editable: list[str]          # ids on this page the admin may edit, in the table's order
    erasable: list[str]          # ids on this page the admin may erase
    first: int                   # index of the page's first user among all matches
    total: int                   # matches in all pages


def render() -> None:
    admin = require(*USER_ADMIN_ROLES)
    st.title(t("admin.title"))
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH))
    municipality = _municipality(admin)
    units = UnitService(repository()).list(admin, municipality)
    pending_section(admin, municipality, units)
    table, new, bulk, edit, unit_tab, erase = st.tabs([
        t("admin.tab_users"), t("admin.new_user"), t("import.title"), t("admin.edit_user"), t("admin.tab_units"),
        t("gdpr.tab_delete")])
    with table:
        listing = _user_table(admin, municipality)
    with new:
        _new_user(admin, municipality, units)
    with bulk:
        import_section(admin, municipality)
    with edit:
        _edit_user(admin, municipality, listing, units)
    with unit_tab:
        _units(admin, municipality, units)
    with erase:
        _anonymise(admin, listing)


def _listing(admin: User, municipality: str, search: str, page: int) -> Listing:
    """One page of users with their last sign-in: PAGE_SIZE reads, however many people the municipality has."""
    found = accounts().user_page(admin, municipality, search, page, PAGE_SIZE)
    users = list(found.users)
    service = PersonalDataService(repository())
    last = service.last_sign_ins(admin, municipality, users)
    inactive = service.unused(users, last)
    rows = [{t("profile.name"): u.name, t("signin.username"): u.username, t("admin.role"): t(f"role.{u.role.value}"),
             t("profile.service_area"): area_label(u.service_area), t("profile.unit"): u.unit,
             t("admin.can_sign_in"): t("common.yes") if u.password_hash and u.active else t("common.no"),
             t("gdpr.col_last_sign_in"): fmt_date(last.get(u.id)) or t("gdpr.md_never"),
             t("gdpr.col_inactive"): t("common.yes") if u.id in inactive else ""}
            for u in users]
    may_edit = [u for u in users if admin.role == Role.ADMIN or u.role in GIVEN_BY_MUNICIPAL_ADMIN]
    return Listing(by_id={u.id: u for u in users}, rows=rows,
                   labels={u.id: f"{u.name} ({u.username})" for u in users},
                   editable=[u.id for u in may_edit],
                   erasable=[u.id for u in may_edit if u.anonymised_at is None and u.id != admin.id],
                   first=page * PAGE_SIZE, total=found.total)


def _inactive_count(admin: User, municipality: str) -> int:
    """The municipality's unused accounts: every user's last sign-in, read once per process, day and report version.

    Keyed on ``report_version``, not ``data_version``: every sign-in moves the latter, so on a busy
    server the count (seconds at tens of thousands of users) was read again on almost every visit.
    Someone who signs in after a long pause may so be counted as unused until the next day or the
    next write of report data; the note is a reminder to tidy up, not a live figure.

    Shared by the admins of the process; the key is the municipality the page's role check allowed
    (``_municipality``), and the page's own read (``AccountService.user_page``) checks it again.
    """
    store = repository()
    service = PersonalDataService(store)
    key = ("admin-users-inactive", municipality, local(service.clock()).date())
    cache, version = shared_figures(), store.report_version()
    count = cache.get(key, store, None, version)
    if count is None:
        count = len(service.inactive(admin, municipality))
        cache.put(key, store, None, version, count)
    return count  # type: ignore[return-value]


def _municipality(admin: User) -> str:
    """A municipal admin works in their own municipality; an admin chooses one."""
    if admin.role != Role.ADMIN:
        st.caption(t("admin.scope", municipality=label(admin.municipality)))
        return admin.municipality
    numbers = list(all_municipalities())
    return st.selectbox(t("profile.municipality"), numbers, format_func=label, key="admin-municipality",
                        index=numbers.index(admin.municipality) if admin.municipality in numbers else 0)


def _roles(admin: User) -> list[Role]:
    return list(Role) if admin.role == Role.ADMIN else [r for r in Role if r in GIVEN_BY_MUNICIPAL_ADMIN]


def _unit_options(units: list[Unit]) -> list[str]:
    return ["", *[u.name for u in units]]


def _unit_label(name: str) -> str:
    return name or t("units.none")


def _user_table(admin: User, municipality: str) -> Listing:
    """Search, one page of users with when they last signed in, and the pager; unused accounts are counted."""
    inactive = _inactive_count(admin, municipality)
    if inactive:
        st.warning(t("gdpr.inactive_note", count=inactive, months=inactive_months()), icon=":material/schedule:")
    search = st.text_input(t("userspage.search"), placeholder=t("userspage.search_hint"), key=SEARCH).strip()
    if st.session_state.get(f"{PAGE}-for") != (municipality, search):  # a new search starts at the first page
        st.session_state[f"{PAGE}-for"], st.session_state[PAGE] = (municipality, search), 0
    page = st.session_state.get(PAGE, 0)
    listing = session_cached("admin-users-listing", (admin.id, admin.role, municipality, search, page),
                             lambda: _listing(admin, municipality, search, page))
    if listing.total and not listing.rows:  # the page emptied by a change elsewhere: back to the last one
        st.session_state[PAGE] = max(_pages(listing.total) - 1, 0)
        st.rerun()
    if listing.rows:
        st.caption(t("userspage.showing", first=_number(listing.first + 1),
                     last=_number(listing.first + len(listing.rows)), total=_number(listing.total)))
    else:
        st.info(t("userspage.none"), icon=":material/search_off:")
    table_or_cards(listing.rows, key="users", hide_index=True, width="stretch")
    if listing.total > PAGE_SIZE:
        _pager(page, _pages(listing.total))
    return listing


def _pages(total: int) -> int:
    return -(-total // PAGE_SIZE)


def _pager(page: int, pages: int) -> None:
    left, mid, right = st.columns([1, 2, 1], vertical_alignment="center")
    if left.button(t("userspage.previous"), key="admin-users-previous", disabled=page == 0,
                   icon=":material/chevron_left:"):
        st.session_state[PAGE] = page - 1
        st.rerun()
    mid.caption(t("userspage.page_of", page=_number(page + 1), pages=_number(pages)))
    if right.button(t("userspage.next"), key="admin-users-next", disabled=page >= pages - 1,
                    icon=":material/chevron_right:"):
        st.session_state[PAGE] = page + 1
        st.rerun()


def _number(value: int) -> str:
    """20 000 in Norwegian (a no-break space between thousands), 20,000 in English."""
    return f"{value:,}" if current_language() == "en" else f"{value:,}".replace(",", "\u00a0")


def _choose_user(label: str, ids: list[str], listing: Listing, key: str) -> User | None:
    """A user among this page's: the options are ids, and never more than PAGE_SIZE of them."""
    chosen = st.selectbox(label, ids, format_func=listing.labels.__getitem__, index=None, key=key,
                          help=t("userspage.choose_help"))
    return listing.by_id.get(chosen) if chosen else None


def _anonymise(admin: User, listing: Listing) -> None:
    """Erase a person's identity; the second step is typing their username, since it cannot be undone."""
    st.write(t("gdpr.delete_intro"))
    chosen = _choose_user(t("gdpr.choose_user"), listing.erasable, listing, "gdpr-user")
    if chosen is None:
        return
    with st.form("anonymise", clear_on_submit=True):
        typed = st.text_input(t("gdpr.confirm_label"), key="gdpr-confirm",
                              help=t("gdpr.confirm_help", name=chosen.name, username=chosen.username))
        if st.form_submit_button(t("gdpr.delete_button"), type="primary", icon=":material/delete_forever:"):
            done = run_action(lambda: PersonalDataService(repository()).anonymise(admin, chosen.id, confirm=typed))
            if done:
                _done(t("gdpr.deleted", name=done.name))


def _manager_area(role: Role, index: int = 0, key: str | None = None) -> ServiceArea | None:
    """«Leder for tjenesteområde» only for the manager role: it means nothing for the others."""
    if role != Role.MANAGER:
        return None
    return st.selectbox(t("admin.manager_area"), AREAS, index=index, key=key,
                        format_func=lambda a: area_label(a) if a else t("admin.manager_area_all"))


def _new_user(admin: User, municipality: str, units: list[Unit]) -> None:
    st.caption(t("admin.new_user_in", municipality=label(municipality)))
    # Outside the form: the fields below follow the role (a form sends its widgets only on submit)
    role = st.selectbox(t("admin.role"), _roles(admin), format_func=lambda r: t(f"role.{r.value}"),
                        key="new-role")
    with st.form("new_user", clear_on_submit=False):
        name = st.text_input(t("profile.name"))
        username = st.text_input(t("signin.username"), help=t("profile.username_help"))
        email = st.text_input(t("profile.email"))
        area = st.selectbox(t("profile.service_area"), AREAS, format_func=area_label)
        unit = st.selectbox(t("units.choose"), _unit_options(units), format_func=_unit_label, key="new-unit")
        manager_area = _manager_area(role)
        password = st.text_input(t("admin.first_password"), type="password", help=t("profile.password_help"),
                                 autocomplete="new-password")
        if st.form_submit_button(t("admin.create"), type="primary"):
            created = run_action(lambda: accounts().create_user(
                admin, username=username, password=password, name=name, email=email,
                municipality=municipality, role=role, service_area=area, unit=unit, manager_area=manager_area))
            if created:
                _done(t("admin.created", username=created.username))


def _edit_user(admin: User, municipality: str, listing: Listing, units: list[Unit]) -> None:
    chosen = _choose_user(t("admin.choose_user"), listing.editable, listing, "admin-edit-user")
    if chosen is None:
        return
    roles = _roles(admin)
    role = st.selectbox(t("admin.role"), roles, index=roles.index(chosen.role) if chosen.role in roles else 0,
                        format_func=lambda r: t(f"role.{r.value}"), key=f"edit-role-{chosen.id}")
    with st.form("edit_user"):
        manager_area = _manager_area(role, AREAS.index(chosen.manager_area), key=f"edit-manager-area-{chosen.id}")
        area = st.selectbox(t("profile.service_area"), AREAS, index=AREAS.index(chosen.service_area),
                            format_func=area_label)
        options = _unit_options(units)
        if chosen.unit not in options:  # placed before the list existed: keep it selectable
            options.append(chosen.unit)
        unit = st.selectbox(t("units.choose"), options, format_func=_unit_label,
                            index=options.index(chosen.unit) if chosen.unit in options else 0)
        active = st.checkbox(t("admin.active"), value=chosen.active)
        if st.form_submit_button(t("admin.save_user"), type="primary"):
            service = accounts()
            done = (run_action(lambda: service.set_role(admin, chosen.id, role, manager_area)) and
                    run_action(lambda: service.set_placement(admin, chosen.id, municipality=municipality,
                                                             service_area=area, unit=unit)) and
                    run_action(lambda: service.set_active(admin, chosen.id, active)))
            if done:
                _done(t("admin.saved_user", username=chosen.username))
    if st.button(t("temporary.issue"), help=t("temporary.issue_help", days=TEMPORARY_DAYS), key="admin-temporary",
                 icon=":material/key:"):
        password = run_action(lambda: accounts().issue_temporary_password(admin, chosen.id))
        if password:
            st.info(t("temporary.issued", username=chosen.username, password=password), icon=":material/key:")


def _units(admin: User, municipality: str, units: list[Unit]) -> None:
    st.header(t("units.title", municipality=label(municipality)))
    st.caption(t("units.intro"))
    if units:
        st.dataframe([{t("units.name"): u.name, t("units.area"): area_label(u.service_area)} for u in units],
                     hide_index=True, width="stretch")
    else:
        st.info(t("units.empty"), icon=":material/info:")
    service = UnitService(repository())
    with st.form("add_unit", clear_on_submit=True):
        name = st.text_input(t("units.name"), max_chars=120, key="unit-name")
        area = st.selectbox(t("units.area"), AREAS, format_func=area_label, key="unit-area")
        if st.form_submit_button(t("units.add"), icon=":material/add:"):
            added = run_action(lambda: service.add(admin, municipality, name, area))
            if added:
                _done(t("units.added", name=added.name))
    if units:
        with st.form("remove_unit"):
            gone = st.selectbox(t("units.choose"), [u.name for u in units])
            pressed = st.form_submit_button(t("units.remove"), icon=":material/delete:")
            if pressed and run_action(lambda: service.remove(admin, municipality, gone) or True):
                _done(t("units.removed", name=gone))


def _done(message: str) -> None:
    """Show the lists as they are now, with the message on top."""
    st.session_state[FLASH] = message
    st.rerun()
