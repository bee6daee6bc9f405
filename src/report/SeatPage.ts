/**
 * The page of a person's seat (`/seat/<party>?token=...` on the live
 * server): what is on the table and what it is worth to them, accept and
 * reject, a counter-offer form over the issues that shows its utility as
 * they choose (computed on the server by the party's own utility function),
 * the round, the deadline and their time to answer, every offer so far, a
 * free-text message to send with a move and what each side said, and below
 * it the live report of the negotiation (its timeline, updated as the other
 * side moves).
 *
 * The page only proposes: every move is judged by the seat on the server
 * (see `human/Seat.ts`). Data arrives as JSON and is built into the page with DOM
 * calls (`textContent`), so nothing the server sends is parsed as HTML
 * except the report body, which the server rendered and escaped, and drew
 * through this party's eyes only (`seatPreferences` of `Live.ts`). The page
 * has no inline handler: its one script (allowed by its hash in the
 * server's Content-Security-Policy, `LiveGuard.ts`) binds every control with
 * `addEventListener`.
 *
 * @since 0.3.0
 */

import { MESSAGE_LIMIT } from "../human/Seat.ts"
import { CSS } from "./Page.ts"
import { esc } from "./Svg.ts"

const SEAT_CSS = `
.seat{display:grid;grid-template-columns:minmax(300px,400px) minmax(0,1fr);min-height:100vh}
.seat aside{border-right:1px solid var(--line);padding:16px;background:var(--soft)}
.seat aside h1{font-size:1.1rem;margin:0 0 .3em}
.seat main{max-width:1100px;margin:0;padding:16px 20px 48px}
.seat .phase{font-weight:700;font-size:1.05rem;margin:.6em 0}
.seat .phase.your-turn{color:#166534}
.seat .box{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:.8em 0}
.seat .box h2{font-size:.95rem;margin:0 0 .4em;padding:0;border:0}
.seat .row{display:flex;gap:8px;flex-wrap:wrap;margin-top:.5em}
.seat button{font:inherit;padding:6px 14px;border-radius:6px;border:1px solid #9ca3af;background:#f3f4f6;cursor:pointer}
.seat button.primary{background:#0072B2;border-color:#0072B2;color:#fff}
.seat button:disabled{opacity:.45;cursor:not-allowed}
.seat label{display:block;margin:.35em 0;font-size:.9rem}
.seat select,.seat input,.seat textarea{font:inherit;width:100%;padding:4px 6px;box-sizing:border-box}
.seat .said{white-space:pre-wrap;overflow-wrap:anywhere}
.seat .u{font-variant-numeric:tabular-nums;font-weight:700}
.seat .error{color:#991b1b;background:#fee2e2;border:1px solid #e3a1a1;border-radius:6px;padding:6px 10px}
.seat .error:empty{display:none}
.seat ol{margin:0;padding-left:1.4em;font-size:.85rem}
@media (max-width:800px){.seat{grid-template-columns:1fr}.seat aside{border-right:0;border-bottom:1px solid var(--line)}}
`

// The seat's token comes from the page's own address; it goes back with every request and nowhere else.
export const SEAT_SCRIPT = `
(() => {
  const party = document.body.dataset.party;
  const token = new URLSearchParams(location.search).get("token") || "";
  const base = "/api/seat/" + encodeURIComponent(party);
  const $ = (id) => document.getElementById(id);
  const el = (tag, text) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; };
  const fmt = (x) => (Math.round(x * 1000) / 1000).toFixed(3);
  const termsText = (t) => Object.entries(t).map(([k, v]) => k + " = " + v).join(", ");
  let view;
  let filledFor = -1;
  let watching;
  const post = async (path, body) => {
    const r = await fetch(base + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    let data = {};
    try { data = await r.json(); } catch {}
    return { ok: r.ok, status: r.status, data };
  };
  const showError = (text) => { $("seat-error").textContent = text || ""; };
  const formTerms = () => {
    const terms = {};
    for (const issue of view.issues) {
      const input = $("issue-" + issue.id);
      terms[issue.id] = issue.kind === "discrete" ? input.value : Number(input.value);
    }
    return terms;
  };
  const valueForm = async () => {
    if (!view || view.issues.length === 0) return;
    const r = await post("/value", { token, terms: formTerms() });
    $("seat-form-utility").textContent = r.ok ? fmt(r.data.utility) : "—";
    $("seat-form-discounted").textContent = !r.ok ? (r.data.error || "")
      : r.data.discounted !== r.data.utility ? " (now, discounted: " + fmt(r.data.discounted) + ")" : "";
  };
  const buildForm = () => {
    const form = $("seat-issues");
    form.replaceChildren(...view.issues.map((issue) => {
      const label = el("label", (issue.label || issue.id) + " ");
      let input;
      if (issue.kind === "discrete") {
        input = el("select");
        for (const o of issue.options) { const opt = el("option", o); opt.value = o; input.append(opt); }
      } else {
        input = el("input");
        input.type = "number";
        input.min = String(issue.min);
        input.max = String(issue.max);
        input.step = issue.kind === "integer" ? "1" : "any";
        input.value = String(issue.min);
      }
      input.id = "issue-" + issue.id;
      input.dataset.issue = issue.id;
      input.setAttribute("data-testid", "seat-issue");
      input.addEventListener("input", valueForm);
      label.append(input);
      return label;
    }));
  };
  const fill = (terms) => {
    for (const [k, v] of Object.entries(terms)) { const input = $("issue-" + k); if (input) input.value = String(v); }
  };
  // The message goes with any move but a ratification; the seat checks it on the server.
  const move = async (m) => {
    showError("");
    const text = $("seat-message").value;
    const said = m.type !== "ratify" && text.trim() !== "" ? { ...m, message: text } : m;
    for (const b of document.querySelectorAll("[data-move]")) b.disabled = true;
    const r = await post("/move", { token, turn: view.turn, move: said });
    if (!r.ok) { showError(r.data.error || ("refused (" + r.status + ")")); render(); }
    else if (said.message !== undefined) $("seat-message").value = "";
  };
  const render = () => {
    const v = view;
    const phase = $("seat-phase");
    phase.className = "phase " + v.phase;
    phase.textContent = v.phase === "your-turn" ? "Your turn" + (v.last ? " — your last chance before the deadline" : "")
      : v.phase === "ended" ? "The talks are over: " + (v.outcome ? v.outcome.status : "ended")
      : "Waiting for the other side…";
    const clock = [];
    if (v.round !== null) clock.push("round " + (v.round + 1) + " of " + v.rounds, "time " + fmt(v.time));
    if (v.deadline) clock.push("deadline " + v.deadline.slice(0, 16).replace("T", " ") + " (simulated clock)");
    $("seat-clock").textContent = clock.join(" · ");
    $("seat-reservation").textContent = "No deal is worth " + fmt(v.reservation) + " to you" + (v.discount < 1 ? "; every utility is discounted by " + v.discount + " to the power of the time" : "") + ".";
    const table = $("seat-table");
    const ratifying = v.ask === "ratify";
    if (v.onTable) {
      table.replaceChildren(
        el("p", ratifying ? "Accepted, awaiting your ratification: " + termsText(v.onTable.terms) + " (offered by " + v.onTable.by + ")" : v.onTable.by + " offers " + termsText(v.onTable.terms)),
        (() => { const p = el("p", "Your utility: "); const b = el("span", fmt(v.onTable.utility)); b.className = "u"; b.setAttribute("data-testid", "seat-table-utility"); p.append(b, " (now, discounted: " + fmt(v.onTable.discounted) + ")"); return p; })(),
      );
    } else table.replaceChildren(el("p", v.phase === "your-turn" ? "Nothing on the table: make an offer." : "Nothing for you to answer."));
    const mine = v.phase === "your-turn";
    $("seat-accept").textContent = ratifying ? "Ratify" : "Accept";
    $("seat-reject").textContent = ratifying ? "Refuse" : "Reject";
    $("seat-accept").disabled = !(mine && v.onTable);
    $("seat-reject").disabled = !(mine && v.onTable);
    $("seat-offer").disabled = !mine || ratifying;
    $("seat-walkout").disabled = !mine || ratifying;
    if (v.issues.length > 0 && $("seat-issues").childElementCount === 0) buildForm();
    if (mine && filledFor !== v.turn) { filledFor = v.turn; if (v.onTable) fill(v.onTable.terms); valueForm(); }
    $("seat-offers").replaceChildren(...v.offers.map((o) => {
      const li = el("li", o.by + ": " + termsText(o.terms) + " — yours " + fmt(o.utility) + " · " + o.status);
      li.setAttribute("data-testid", "seat-offer-row");
      return li;
    }));
    $("seat-messages").replaceChildren(...v.messages.map((m) => {
      const li = el("li");
      const who = el("strong", (m.party === v.party ? "you" : m.party) + " (round " + (m.round + 1) + ", " + m.move + "): ");
      li.append(who, el("span", m.message));
      li.lastChild.className = "said";
      li.setAttribute("data-testid", "seat-message-row");
      return li;
    }));
    const out = $("seat-outcome");
    out.textContent = !v.outcome ? "" : v.outcome.agreement
      ? "Agreement: " + termsText(v.outcome.agreement.terms) + " — worth " + fmt(v.outcome.agreement.utility) + " to you."
      : "No agreement" + (v.outcome.endedBecause ? " — " + v.outcome.endedBecause : "") + ".";
    if (v.answerBy && mine) tick(); else $("seat-timer").textContent = "";
    if (!watching && v.negotiationId) watchReport(v.negotiationId);
  };
  const tick = () => {
    if (!view || view.phase !== "your-turn" || !view.answerBy) return;
    const left = Math.max(0, Math.round((Date.parse(view.answerBy) - Date.now()) / 1000));
    $("seat-timer").textContent = "Answer within " + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") + " or the seat will " + (view.onTimeout === "walk-out" ? "walk out" : "reject and let the turn pass") + ".";
  };
  setInterval(tick, 1000);
  const watchReport = (id) => {
    watching = new EventSource("/api/watch?id=" + encodeURIComponent(id) + "&token=" + encodeURIComponent(token));
    watching.onmessage = (m) => {
      const d = JSON.parse(m.data);
      const report = $("report");
      report.innerHTML = d.html;
      report.dataset.version = String(d.version);
    };
  };
  $("seat-accept").addEventListener("click", () => move(view.ask === "ratify" ? { type: "ratify", ratify: true } : { type: "accept" }));
  $("seat-reject").addEventListener("click", () => move(view.ask === "ratify" ? { type: "ratify", ratify: false } : { type: "reject" }));
  $("seat-walkout").addEventListener("click", () => { if (confirm("Leave the negotiation for good?")) move({ type: "walk-out" }); });
  $("seat-form").addEventListener("submit", (e) => { e.preventDefault(); move({ type: "offer", terms: formTerms() }); });
  const events = new EventSource(base + "/events?token=" + encodeURIComponent(token));
  events.onmessage = (m) => { view = JSON.parse(m.data); document.body.dataset.phase = view.phase; document.body.dataset.turn = String(view.turn); render(); };
  events.onerror = () => { $("seat-phase").textContent = "Connection lost; retrying…"; };
})();
`

/** The seat's page for `party` (the token stays in the address the person was given). */
export const seatPage = (party: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>parley — your seat as ${esc(party)}</title>
<style>${CSS}${SEAT_CSS}</style>
</head>
<body data-party="${esc(party)}">
<div class="seat">
<aside aria-label="Your seat">
<h1>You are ${esc(party)}</h1>
<p class="phase" id="seat-phase" data-testid="seat-phase" role="status">Connecting…</p>
<p class="meta" id="seat-clock" data-testid="seat-clock"></p>
<p class="meta" id="seat-timer" data-testid="seat-timer"></p>
<p class="error" id="seat-error" data-testid="seat-error" role="alert"></p>
<section class="box"><h2>On the table</h2><div id="seat-table" data-testid="seat-table"></div>
<div class="row"><button type="button" class="primary" id="seat-accept" data-move data-testid="seat-accept" disabled>Accept</button><button type="button" id="seat-reject" data-move data-testid="seat-reject" disabled>Reject</button></div></section>
<section class="box"><h2>Your counter-offer</h2><form id="seat-form" data-testid="seat-form"><div id="seat-issues"></div>
<p>Your utility: <span class="u" id="seat-form-utility" data-testid="seat-form-utility">—</span><span id="seat-form-discounted"></span></p>
<div class="row"><button type="submit" class="primary" id="seat-offer" data-move data-testid="seat-offer" disabled>Propose</button><button type="button" id="seat-walkout" data-move data-testid="seat-walkout" disabled>Walk out</button></div></form></section>
<section class="box"><h2>Say something</h2><label for="seat-message">A message sent with your next move (optional, plain text)</label><textarea id="seat-message" data-testid="seat-message" rows="2" maxlength="${MESSAGE_LIMIT}"></textarea>
<ol id="seat-messages" data-testid="seat-messages" aria-label="What each side said"></ol></section>
<p class="meta" id="seat-reservation"></p>
<p id="seat-outcome" data-testid="seat-outcome"></p>
<section class="box"><h2>Offers so far</h2><ol id="seat-offers" data-testid="seat-offers"></ol></section>
</aside>
<main id="report" aria-live="polite"><p class="meta">The negotiation has not started yet.</p></main>
</div>
<script>${SEAT_SCRIPT}</script>
</body>
</html>
`
