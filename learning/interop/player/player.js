/* MITT LIV Oppvekst: a module as a SCORM 1.2 SCO. No server, no network, no libraries.
 *
 * The content (lessons and the scenario, rendered to safe HTML by the app's renderer) is
 * the JSON in <script id="content">. The scenario follows learning/services/quiz_play.py:
 * feedback after every choice; a choice without a next step ends the scenario, and so does
 * a critical mistake, which fails the attempt whatever the points; an attempt passes with
 * pass_percent or more of the best points on the path taken (rounded as Python rounds).
 * Progress lives in cmi.suspend_data, so the LMS resumes the learner where they left.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("content").textContent);
  var S = data.strings;
  var app = document.getElementById("app");
  var quiz = data.quiz;

  // --- the SCORM 1.2 API: window.parent chain, then window.opener (SCORM 1.2 RTE 3.3.6.1) -----
  function findAPI(win) {
    var tries = 0;
    while (win && !win.API && win.parent && win.parent !== win && tries < 10) {
      tries += 1;
      win = win.parent;
    }
    return win && win.API ? win.API : null;
  }
  var API = findAPI(window) || (window.opener ? findAPI(window.opener) : null);
  var started = new Date();
  var finished = false;

  function lms(method) {
    if (!API) { return ""; }
    var args = Array.prototype.slice.call(arguments, 1);
    try { return API[method].apply(API, args); } catch (e) { return ""; }
  }
  function get(name) { return String(lms("LMSGetValue", name) || ""); }
  function set(name, value) { lms("LMSSetValue", name, String(value)); }

  // --- state: what the learner did, kept small (suspend_data holds 4096 characters in SCORM 1.2) --
  var state = { v: data.module.version, r: [], l: 0, view: "lesson", q: null, best: null, ok: false };

  function stepIndex(id) {
    for (var i = 0; i < quiz.steps.length; i += 1) { if (quiz.steps[i].id === id) { return i; } }
    return -1;
  }
  function maxPoints(step) {
    return Math.max.apply(null, step.choices.map(function (c) { return c.points; }));
  }
  function ends(choice) { return choice.next === null || choice.next === undefined || choice.critical; }
  function lastChoice(a) {
    if (!a.p.length) { return null; }
    var last = a.p[a.p.length - 1];
    return { step: quiz.steps[last[0]], choice: quiz.steps[last[0]].choices[last[1]] };
  }
  function currentStep(a) {
    if (a.f) { return null; }
    var last = lastChoice(a);
    if (!last) { return quiz.steps[0]; }
    return ends(last.choice) ? null : quiz.steps[stepIndex(last.choice.next)];
  }
  function points(a) {
    var got = 0, best = 0;
    a.p.forEach(function (e) { var s = quiz.steps[e[0]]; got += s.choices[e[1]].points; best += maxPoints(s); });
    return { got: got, best: best };
  }
  function roundHalfEven(x) {  // Python's round(): 62.5 -> 62, 63.5 -> 64
    var f = Math.floor(x), d = x - f;
    if (Math.abs(d - 0.5) < 1e-9) { return f % 2 === 0 ? f : f + 1; }
    return Math.round(x);
  }
  function percent(a) { var p = points(a); return p.best ? roundHalfEven(100 * p.got / p.best) : 0; }
  function hitCritical(a) {
    return a.p.some(function (e) { return quiz.steps[e[0]].choices[e[1]].critical; });
  }
  function passed(a) { return !!a.f && !hitCritical(a) && percent(a) >= quiz.pass_percent; }

  // Choices in an order of their own per attempt and step (position says nothing), the same after resume.
  function seeded(text) {
    var h = 2166136261;
    for (var i = 0; i < text.length; i += 1) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0; }
    return function () {
      h = (h + 0x6D2B79F5) >>> 0;
      var x = Math.imul(h ^ (h >>> 15), 1 | h);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
  }
  function choiceOrder(a, step) {
    var order = step.choices.map(function (_, i) { return i; });
    var random = seeded(a.s + ":" + step.id);
    for (var i = order.length - 1; i > 0; i -= 1) {
      var j = Math.floor(random() * (i + 1)), tmp = order[i];
      order[i] = order[j]; order[j] = tmp;
    }
    return order;
  }

  function lessonsDone() { return data.lessons.every(function (l, i) { return state.r.indexOf(i) >= 0; }); }
  function moduleDone() { return lessonsDone() && (!quiz || state.ok); }

  // --- reporting -------------------------------------------------------------------------------
  function status() {
    if (moduleDone()) { return quiz ? "passed" : "completed"; }
    if (quiz && lessonsDone() && state.q && state.q.f && !state.ok) { return "failed"; }
    return "incomplete";
  }
  function save() {
    set("cmi.suspend_data", JSON.stringify(state));
    set("cmi.core.lesson_location", state.view === "quiz" ? "quiz" : data.lessons[state.l].id);
    set("cmi.core.lesson_status", status());
    if (state.best !== null) {
      set("cmi.core.score.min", 0);
      set("cmi.core.score.max", 100);
      set("cmi.core.score.raw", state.best);
    }
    set("cmi.core.exit", moduleDone() ? "" : "suspend");
    lms("LMSCommit", "");
  }
  function recordInteraction(step, index) {
    var n = parseInt(get("cmi.interactions._count"), 10);
    if (isNaN(n)) { return; }
    var choice = step.choices[index];
    var best = choice.points === maxPoints(step) && !choice.critical;
    set("cmi.interactions." + n + ".id", step.id);
    set("cmi.interactions." + n + ".type", "choice");
    set("cmi.interactions." + n + ".student_response", String(index));
    set("cmi.interactions." + n + ".result", best ? "correct" : "wrong");
    set("cmi.interactions." + n + ".weighting", String(maxPoints(step)));
  }
  function sessionTime() {
    var s = Math.max(0, Math.round((new Date() - started) / 1000));
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
  }
  function finish() {
    if (finished || !API) { return; }
    finished = true;
    set("cmi.core.session_time", sessionTime());
    save();
    lms("LMSFinish", "");
  }

  // --- drawing: authored HTML comes rendered and safe; every other text goes in as text --------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else if (k === "html") { node.innerHTML = attrs[k]; }
      else if (k === "onclick") { node.addEventListener("click", attrs[k]); } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] === undefined ? m : String(values[k]); });
  }
  function button(label, action, primary) {
    return el("button", { type: "button", "class": primary ? "primary" : "", text: label, onclick: action });
  }
  function show(nodes) {
    app.textContent = "";
    app.appendChild(el("h1", { text: data.module.title }));
    if (!API) { app.appendChild(el("p", { "class": "note", text: S.no_lms })); }
    app.appendChild(nav());
    nodes.forEach(function (n) { if (n) { app.appendChild(n); } });
    var heading = app.querySelector("h2");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  }
  function nav() {
    var list = el("ol", { "class": "lessons" });
    data.lessons.forEach(function (lesson, i) {
      var done = state.r.indexOf(i) >= 0;
      var current = state.view === "lesson" && state.l === i;
      var item = el("li", {}, [button((done ? "✓ " : "") + lesson.title, function () {
        state.view = "lesson"; state.l = i; save(); render();
      })]);
      if (current) { item.firstChild.setAttribute("aria-current", "page"); }
      list.appendChild(item);
    });
    if (quiz) {
      var item = el("li", {}, [button((state.ok ? "✓ " : "") + S.scenario + ": " + quiz.title, function () {
        state.view = "quiz"; save(); render();
      })]);
      if (state.view === "quiz") { item.firstChild.setAttribute("aria-current", "page"); }
      list.appendChild(item);
    }
    return el("nav", { "aria-label": S.lessons }, [list]);
  }

  function renderLesson() {
    var lesson = data.lessons[state.l];
    var last = state.l === data.lessons.length - 1;
    show([
      el("p", { "class": "muted", text: fill(S.lesson_of, { n: state.l + 1, total: data.lessons.length }) }),
      el("h2", { text: lesson.title }),
      el("article", { "class": "lesson", html: lesson.html }),
      button(last && quiz ? S.to_scenario : S.lesson_done, function () {
        if (state.r.indexOf(state.l) < 0) { state.r.push(state.l); }
        if (!last) { state.l += 1; } else if (quiz) { state.view = "quiz"; }
        save(); render();
      }, true),
      moduleDone() ? el("p", { "class": "done", role: "status", text: S.module_done }) : null,
    ]);
  }

  function tagList(choice) {
    if (!choice.tags.length) { return null; }
    var list = el("ul", { "class": "tags" });
    choice.tags.forEach(function (tag) {
      list.appendChild(el("li", { "class": tag.helpful ? "helpful" : "harmful",
                                  text: (tag.helpful ? "+ " : "− ") + tag.label }));
    });
    return el("div", {}, [el("p", { text: S.tags_title }), list]);
  }

  function renderResult(a) {
    var nodes = [el("h2", { text: S.result_title })];
    if (hitCritical(a)) {
      var box = el("div", { "class": "critical", role: "alert" }, [el("p", { "class": "strong", text: S.critical_title }),
                                                                    el("p", { text: S.critical_body })]);
      a.p.forEach(function (e) {
        var c = quiz.steps[e[0]].choices[e[1]];
        if (c.critical) {
          box.appendChild(el("p", { text: S.you_chose + " " + c.text }));
          box.appendChild(el("p", { text: S.critical_rule + " " + (c.critical_reason || "") }));
        }
      });
      nodes.push(box);
    } else {
      nodes.push(el("p", { "class": "score", text: S.score + ": " + percent(a) + " %" }));
      nodes.push(el("p", { "class": passed(a) ? "done" : "note", role: "status",
                            text: fill(passed(a) ? S.passed : S.not_passed, { needed: quiz.pass_percent }) }));
    }
    var path = el("ol", { "class": "path" });
    a.p.forEach(function (e) {
      var step = quiz.steps[e[0]], c = step.choices[e[1]];
      path.appendChild(el("li", { text: fill(c.critical ? S.path_item_critical : S.path_item,
                                             { choice: c.text, points: c.points, max: maxPoints(step) }) }));
    });
    nodes.push(el("h3", { text: S.your_path }), path);
    nodes.push(button(S.try_again, function () { startAttempt(); }, !state.ok));
    if (moduleDone()) { nodes.push(el("p", { "class": "done", text: S.module_done })); }
    return nodes;
  }

  function startAttempt() {
    state.q = { s: Math.floor(Math.random() * 2147483647), p: [], d: false, f: false };
    state.view = "quiz";
    save(); render();
  }

  function acknowledge() {
    var a = state.q, last = lastChoice(a);
    a.d = false;
    if (ends(last.choice)) {
      a.f = true;
      if (!hitCritical(a)) { state.best = Math.max(state.best || 0, percent(a)); }
      else if (state.best === null) { state.best = 0; }
      state.ok = state.ok || passed(a);
    }
    save(); render();
  }

  function renderQuiz() {
    var a = state.q;
    if (!a) {
      show([el("h2", { text: S.scenario + ": " + quiz.title }), el("div", { html: quiz.intro }),
            el("p", { "class": "muted", text: fill(S.how_it_works, { needed: quiz.pass_percent }) }),
            button(S.start, startAttempt, true)]);
      return;
    }
    if (a.f) { show(renderResult(a)); return; }
    if (a.d) {
      var last = lastChoice(a);
      var feedback = el("section", { "class": "feedback", "aria-label": S.feedback_title }, [
        el("p", { "class": "strong", text: S.feedback_title }), el("div", { html: last.choice.feedback }),
        tagList(last.choice),
        last.choice.critical ? el("p", { "class": "critical", role: "alert", text: S.critical_ends }) : null]);
      show([el("h2", { text: fill(S.step_n, { n: a.p.length }) }),
            el("div", { "class": "step", html: last.step.html }),
            el("p", {}, [el("strong", { text: S.you_chose }), document.createTextNode(" " + last.choice.text)]),
            feedback,
            button(ends(last.choice) ? S.see_result : S.continue, acknowledge, true)]);
      return;
    }
    var step = currentStep(a);
    var fieldset = el("fieldset", {}, [el("legend", { text: S.what_do_you_do })]);
    choiceOrder(a, step).forEach(function (index) {
      var id = "choice-" + step.id + "-" + index;
      fieldset.appendChild(el("div", { "class": "choice" }, [
        el("input", { type: "radio", name: "choice", id: id, value: String(index) }),
        el("label", { "for": id, text: step.choices[index].text })]));
    });
    var error = el("p", { "class": "note", role: "alert" });
    show([el("h2", { text: fill(S.step_n, { n: a.p.length + 1 }) }),
          el("div", { "class": "step", html: step.html }), fieldset,
          el("p", { "class": "muted", text: S.shuffled_note }), error,
          button(S.choose, function () {
            var picked = app.querySelector("input[name=choice]:checked");
            if (!picked) { error.textContent = S.pick_one; return; }
            var index = parseInt(picked.value, 10);
            a.p.push([stepIndex(step.id), index]);
            a.d = true;
            recordInteraction(step, index);
            save(); render();
          }, true)]);
  }

  function render() { if (state.view === "quiz" && quiz) { renderQuiz(); } else { renderLesson(); } }

  // --- start: initialise, resume from suspend_data if it fits this version of the content ---------
  lms("LMSInitialize", "");
  try {
    var saved = JSON.parse(get("cmi.suspend_data") || "null");
    if (saved && saved.v === data.module.version) { state = saved; }
  } catch (e) { /* unreadable: start from the beginning */ }
  if (get("cmi.core.lesson_status") === "not attempted" || !get("cmi.core.lesson_status")) {
    set("cmi.core.lesson_status", "incomplete");
  }
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
  render();
}());
