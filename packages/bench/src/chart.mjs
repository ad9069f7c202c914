// benchmarks.svg, written by hand: three panels side by side.
//   1. median µs per call with fetch stubbed   2. the same over loopback HTTP   (bars)
//   3. token requests by concurrency N, for each cold-start pattern            (log–log lines)

const FONT = "font-family=\"system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif\"";
const VARIANT_COLORS = { "raw fetch": "#9aa0a6", "openapi-fetch + static header": "#4a7fd4", "@payauth/maxpay": "#e8710a" };
const PATTERN_COLORS = ["#e8710a", "#c5221f", "#8e44ad", "#1e8e3e", "#555"];

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const fmt = (v) => (v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(1));

function text(x, y, content, { size = 11, anchor = "start", weight = "normal", fill = "#222", rotate } = {}) {
  const transform = rotate === undefined ? "" : ` transform="rotate(${rotate} ${x} ${y})"`;
  return `<text x="${x}" y="${y}" font-size="${size}" text-anchor="${anchor}" font-weight="${weight}" fill="${fill}"${transform}>${esc(content)}</text>`;
}

/** Round tick values from 0 to at least `max`. */
function niceTicks(max, count = 5) {
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const ticks = [];
  for (let i = 0; i * step <= max + step * 0.999; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** Bars of median µs per call for each variant. */
function barPanel({ x, y, w, h, title, rows }) {
  const top = y + 34;
  const bottom = y + h - 40;
  const left = x + 44;
  const right = x + w - 10;
  const ticks = niceTicks(Math.max(...rows.map((r) => r.value)) * 1.12); // headroom for the labels
  const max = ticks.at(-1);
  const sy = (v) => bottom - ((bottom - top) * v) / max;
  const out = [text(x + w / 2, y + 16, title, { size: 13, anchor: "middle", weight: "600" })];
  for (const t of ticks) {
    out.push(`<line x1="${left}" y1="${sy(t)}" x2="${right}" y2="${sy(t)}" stroke="#e5e5e5"/>`);
    out.push(text(left - 6, sy(t) + 4, Number.isInteger(t) ? t.toLocaleString("en-US") : String(t), { size: 10, anchor: "end", fill: "#666" }));
  }
  out.push(text(x + 12, (top + bottom) / 2, "µs per call (median)", { size: 10, anchor: "middle", fill: "#666", rotate: -90 }));
  const slot = (right - left) / rows.length;
  const barW = Math.min(56, slot * 0.6);
  rows.forEach((r, i) => {
    const cx = left + slot * (i + 0.5);
    out.push(`<rect x="${cx - barW / 2}" y="${sy(r.value)}" width="${barW}" height="${bottom - sy(r.value)}" fill="${VARIANT_COLORS[r.name] ?? "#888"}" rx="2"/>`);
    out.push(text(cx, sy(r.value) - 5, fmt(r.value), { size: 11, anchor: "middle", weight: "600" }));
    if (r.note) out.push(text(cx, sy(r.value) - 18, r.note, { size: 10, anchor: "middle", fill: "#b3261e" }));
    r.label.split("\n").forEach((line, k) => out.push(text(cx, bottom + 14 + k * 12, line, { size: 10, anchor: "middle" })));
  });
  out.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#999"/>`);
  return out.join("\n");
}

/** Token requests by N, both axes log10, one line per pattern; capped runs are left out. */
function linePanel({ x, y, w, h, title, ns, series, footnote }) {
  const top = y + 34;
  const bottom = y + h - 96;
  const left = x + 50;
  const right = x + w - 28;
  const maxExp = Math.ceil(Math.log10(Math.max(...ns)));
  const sx = (n) => left + ((right - left) * Math.log10(n)) / maxExp;
  const sy = (v) => bottom - ((bottom - top) * Math.log10(Math.max(1, v))) / maxExp;
  const out = [text(x + w / 2, y + 16, title, { size: 13, anchor: "middle", weight: "600" })];
  for (let e = 0; e <= maxExp; e++) {
    const v = 10 ** e;
    out.push(`<line x1="${left}" y1="${sy(v)}" x2="${right}" y2="${sy(v)}" stroke="#e5e5e5"/>`);
    out.push(`<line x1="${sx(v)}" y1="${top}" x2="${sx(v)}" y2="${bottom}" stroke="#f0f0f0"/>`);
    out.push(text(left - 6, sy(v) + 4, v.toLocaleString("en-US"), { size: 10, anchor: "end", fill: "#666" }));
    out.push(text(sx(v), bottom + 14, v.toLocaleString("en-US"), { size: 10, anchor: "middle", fill: "#666" }));
  }
  out.push(text((left + right) / 2, bottom + 28, "concurrent callers N (log)", { size: 10, anchor: "middle", fill: "#666" }));
  out.push(text(x + 12, (top + bottom) / 2, "token requests (log)", { size: 10, anchor: "middle", fill: "#666", rotate: -90 }));
  out.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#999"/>`);
  const labelled = new Set();
  series.forEach((s, i) => {
    const color = PATTERN_COLORS[i % PATTERN_COLORS.length];
    const points = s.points.filter((p) => p.value !== undefined);
    // Lines that lie on top of each other (every per-call pattern makes N requests) are dashed apart.
    const dash = i > 1 ? ` stroke-dasharray="${2 + i * 2} ${3}"` : "";
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="${i === 0 ? 3 : 2}"${dash} points="${points.map((p) => `${sx(p.n)},${sy(p.value)}`).join(" ")}"/>`);
    for (const p of points) out.push(`<circle cx="${sx(p.n)}" cy="${sy(p.value)}" r="3" fill="${color}"/>`);
    const last = points.at(-1);
    if (last !== undefined && !labelled.has(`${last.n}:${last.value}`)) {
      labelled.add(`${last.n}:${last.value}`);
      out.push(text(sx(last.n) - 4, sy(last.value) - 7, last.value.toLocaleString("en-US"), { size: 10.5, anchor: "end", weight: "600", fill: color }));
    }
    const ly = bottom + 46 + Math.floor(i / 2) * 14;
    const lx = left + (i % 2) * ((right - left) / 2);
    out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 16}" y2="${ly - 4}" stroke="${color}" stroke-width="2.5"${dash}/>`);
    out.push(text(lx + 20, ly, s.name, { size: 10 }));
  });
  const lines = footnote ? footnote.split("\n") : [];
  lines.forEach((line, k) => out.push(text(left, y + h - 2 - (lines.length - 1 - k) * 12, line, { size: 10, fill: "#666" })));
  return out.join("\n");
}

/**
 * @param overhead  { stubbed: [{ name, label, value, note? }], loopback: [...] } medians in µs
 * @param tokens    { ns: number[], series: [{ name, points: [{ n, value? }] }], footnote }
 */
export function renderChart({ overhead, tokens, caption }) {
  const W = 1200;
  const H = 420;
  const panels = [
    barPanel({ x: 10, y: 30, w: 330, h: H - 50, title: "Per call, fetch stubbed", rows: overhead.stubbed }),
    barPanel({ x: 350, y: 30, w: 330, h: H - 50, title: "Per call, loopback HTTP", rows: overhead.loopback }),
    linePanel({ x: 700, y: 30, w: 490, h: H - 50, title: "Cold start: token requests by N", ...tokens }),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT}>
<rect width="${W}" height="${H}" fill="#fff"/>
${text(16, 22, caption, { size: 12, fill: "#444" })}
${panels.join("\n")}
</svg>
`;
}
