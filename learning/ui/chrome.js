// The page frame's script: see learning/ui/chrome.py. Installed once per tab, configured every run.
(function () {
  const cfg = __CONFIG__;
  document.documentElement.lang = cfg.lang;
  const w = window;
  if (w.__lmChrome) { w.__lmChrome.configure(cfg); return; }
  const state = {cfg: cfg, pending: null};
  w.__lmChrome = state;
  const app = () => document.querySelector('[data-testid="stApp"]');
  const main = () => document.querySelector('[data-testid="stMain"]') || document.body;
  const shown = (el) => el.offsetParent !== null && !el.closest('[data-stale="true"]');
  const headings = () => [...main().querySelectorAll('h1, h2, h3')].filter(shown);
  const key = (el) => el.tagName + '|' + el.textContent.trim();

  // --- Streamlit's English, replaced as it appears ------------------------------------------
  const ATTRS = ['aria-label', 'title', 'placeholder'];
  const PER_FILE = /^(\d+(?:\.\d+)?)\s*([KMG]?B) per file(.*)$/;
  function word(text) {
    const trimmed = text.trim();
    if (state.cfg.text[trimmed]) return text.replace(trimmed, state.cfg.text[trimmed]);
    const m = trimmed.match(PER_FILE);
    if (m) return state.cfg.perFile.replace('{size}', m[1].replace('.', ',') + '\u00a0' + m[2]) + m[3];
    return null;
  }
  // st.page_link gives the default page (the front page) href="", which points at the current page:
  // "./" is the app's front page wherever the app is served.
  function fixLinks(root) {
    if (!root.querySelectorAll) return;
    const sel = 'a[data-testid="stPageLink-NavLink"][href=""]';
    for (const a of [root, ...root.querySelectorAll(sel)]) if (a.matches && a.matches(sel)) a.setAttribute('href', './');
  }
  function translate(root) {
    fixLinks(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const changed = word(node.data);
      if (changed !== null && changed !== node.data) node.data = changed;
    }
    const els = root.querySelectorAll ? root.querySelectorAll('[aria-label], [title], [placeholder]') : [];
    for (const el of [root, ...els]) {
      if (!el.getAttribute) continue;
      for (const attr of ATTRS) {
        const value = el.getAttribute(attr);
        if (!value) continue;
        const changed = word(value);
        if (changed !== null && changed !== value) el.setAttribute(attr, changed);
      }
    }
  }
  state.configure = function (next) { state.cfg = next; translate(document.body); };

  // --- focus after an action ----------------------------------------------------------------
  const ACTIONS = '[data-testid^="stBaseButton"], [data-testid="stPageLink-NavLink"], [data-testid="stSidebarNavLink"]';
  function remember() {
    state.pending = {before: new Set(headings().map(key)), ran: false, at: Date.now(), idle: 0, moved: 0};
    follow(state.pending);
  }
  document.addEventListener('click', (e) => {
    const control = e.target.closest && e.target.closest(ACTIONS);
    if (!control || control.closest('[data-testid="stDownloadButton"], [data-testid="stSidebarHeader"]')) return;
    remember();
    if (control.matches('[data-testid="stPageLink-NavLink"]')) closeMenuOnPhone(control);
  }, true);
  // On a phone the sidebar menu covers the whole page, and Streamlit leaves it open after a page
  // link (it closes it only for its own navigation menu): close it, so the new page is seen.
  const PHONE_MENU = window.matchMedia('(max-width: 768px)');
  function closeMenuOnPhone(link) {
    if (!PHONE_MENU.matches || !link.closest('[data-testid="stSidebar"]')) return;
    setTimeout(() => {
      const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (close) close.click();
    }, 0);
  }
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target.matches && e.target.matches('[data-testid="stForm"] input')) remember();
  }, true);
  // The new content's first heading; with none, focus stays where it is unless it was lost (the
  // pressed button vanished or was disabled): then the new message, or the page's h1.
  function moveFocus(p) {
    const found = headings();
    let target = found.find((h) => !p.before.has(key(h)));
    if (!target) {
      const active = document.activeElement;
      const kept = active && active !== document.body && document.contains(active) && !active.disabled;
      if (kept) return false;
      target = [...main().querySelectorAll('[data-testid="stAlert"]')].filter(shown)[0] || found[0];
    }
    if (!target) return false;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus({preventScroll: true});
    target.scrollIntoView({block: 'start'});
    p.target = target;
    return true;
  }
  function lost(p) {
    const active = document.activeElement;
    return !active || active === document.body || !document.contains(active) ||
      (p.target && !document.contains(p.target));
  }
  // A press may run the app more than once (st.rerun, st.switch_page), and a run may redraw the
  // heading that had focus. So, from the press on, every 100 ms: once the app has run and has been idle
  // for 150 ms, focus the new content; for 3 s after that, put focus back if a redraw took it away.
  function follow(p) {
    const timer = setInterval(() => {
      const root = app();
      const now = Date.now();
      if (state.pending !== p || now - p.at > 30000 || (p.moved && now - p.moved > 3000)) {
        clearInterval(timer);
        if (state.pending === p) state.pending = null;
        return;
      }
      if (!root || root.getAttribute('data-test-script-state') === 'running') { p.ran = true; p.idle = 0; return; }
      if (!p.ran && now - p.at > 1000) p.ran = true;  // a run too short to be seen
      if (!p.ran) return;
      p.idle = p.idle || now;
      if (now - p.idle < 150) return;
      if (!p.moved) { if (moveFocus(p)) p.moved = now; } else if (lost(p)) moveFocus(p);
    }, 100);
  }
  // A table wider than the screen scrolls sideways; keyboard users must be able to reach it
  // (WCAG 2.1.1): each scrolling part of an st.table gets into the tab order, named by the catalog.
  // A table starts to scroll when its width or content changes (a resize, a late layout), with no
  // mutation to tell: each table is watched for size changes too.
  const resized = new ResizeObserver(() => rescan());
  const watched = new WeakSet();
  function scrollers() {
    for (const table of document.querySelectorAll('[data-testid="stTable"]')) {
      if (!watched.has(table)) {
        watched.add(table);
        for (const el of [table, ...table.querySelectorAll('div, table')]) resized.observe(el);
      }
      for (const el of [table, ...table.querySelectorAll('div')]) {
        const style = getComputedStyle(el);
        const scrolls = /(auto|scroll)/.test(style.overflowX + style.overflowY) &&
          (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
        if (scrolls && !el.hasAttribute('tabindex')) {
          el.setAttribute('tabindex', '0');
          el.setAttribute('role', 'region');
          el.setAttribute('aria-label', state.cfg.scrollTable);
        }
      }
    }
  }
  let scan = null;
  function rescan() { clearTimeout(scan); scan = setTimeout(scrollers, 150); }
  window.addEventListener('resize', rescan);
  function watch() {
    new MutationObserver((records) => {
      rescan();
      for (const r of records) {
        if (r.type === 'characterData') { const c = word(r.target.data); if (c !== null && c !== r.target.data) r.target.data = c; }
        else if (r.type === 'attributes') translate(r.target);
        else for (const n of r.addedNodes) { if (n.nodeType === 1) translate(n); else if (n.nodeType === 3) { const c = word(n.data); if (c !== null && c !== n.data) n.data = c; } }
      }
    }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: [...ATTRS, 'href']});
    translate(document.body);
  }
  watch();
})();
