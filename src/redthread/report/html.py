"""report.html: one self-contained page (no script, no external file) that an editor or
a compliance officer reads: what was screened against which lists, who is sanctioned
or exposed and by which links, every relation with its sentence and stance, the
timeline. All document text is escaped."""

from __future__ import annotations

import json
from datetime import date
from html import escape
from importlib.resources import files
from typing import Any

from redthread.investigate import Findings

STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{border:1px solid #ddd;
padding:.3em .5em;text-align:left;vertical-align:top;font-size:.92em}th{background:#f4f4f4}
.sanctioned{color:#fff;background:#b00020;padding:0 .3em;border-radius:3px}
.owned{background:#ffd0d0;padding:0 .3em;border-radius:3px}
.linked{background:#fff0c0;padding:0 .3em;border-radius:3px}
.denied{color:#b00020;font-weight:bold}.unconfirmed{color:#a06000;font-weight:bold}
.quote{color:#444;font-style:italic}.small{color:#666;font-size:.85em}
.warning{background:#fff4e0;border-left:4px solid #e0a000;padding:.5em}
#network-box{display:flex;gap:1em}#network{flex:3;height:520px;border:1px solid #ddd}
#detail{flex:1;font-size:.9em;max-height:520px;overflow:auto}
@media print{.screen{display:none}}
"""
#: A list published longer ago than this is called a snapshot in the report.
STALE_DAYS = 7
LEVEL_CLASS = {
    "sanctioned": "sanctioned",
    "owned or controlled by a sanctioned party": "owned",
    "linked within 1 hop": "linked",
    "linked within 2-3 hops": "linked",
}


def render_report(findings: Findings, data: dict[str, Any]) -> str:
    names = {e["id"]: e["names"][0] for e in data["entities"]}
    names.update({e["id"]: e["caption"] for e in data["other_nodes"]})

    def name(entity_id: str) -> str:
        return escape(names.get(entity_id, entity_id))

    parts: list[str] = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>redthread: {escape(findings.case)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Investigation: {escape(findings.case)}</h1>",
        "<p class='small'>Lists: "
        + (
            ", ".join(
                f"{escape(v['name'])} version {v['version']} "
                f"(published {escape(v['published'] or 'unknown')}, SHA-256 "
                f"{escape(v['sha256'][:12])}…)"
                for v in data["lists"]
            )
            or "none loaded: nobody was screened"
        )
        + f"; match threshold {findings.threshold}. Documents: {len(data['documents'])}.</p>",
    ]
    today = date.today()
    for version in data["lists"]:
        published = version["published"]
        if published and (today - date.fromisoformat(published)).days > STALE_DAYS:
            parts.append(
                f"<p class='warning'>The list {escape(version['name'])} is a snapshot published "
                f"{escape(published)}: parties designated since are missing. Update it with "
                f"<code>redthread lists update {escape(version['name'])}</code> and run the "
                "investigation again.</p>"
            )
    exposed = [e for e in data["entities"] if e["exposure"]["level"] != "none"]
    parts.extend(_network(findings, data))
    parts.append("<h2>Sanctioned and exposed parties</h2>")
    if not exposed:
        parts.append("<p>No party of these documents is on, or linked to, a loaded list.</p>")
    else:
        parts.append("<table><tr><th>party</th><th>exposure</th><th>why</th></tr>")
        order = list(LEVEL_CLASS)
        for entity in sorted(
            exposed,
            key=lambda e: (
                order.index(e["exposure"]["level"]) if e["exposure"]["level"] in order else 9,
                e["names"][0],
            ),
        ):
            level = entity["exposure"]["level"]
            why: list[str] = []
            for hit in [h for h in entity["sanctions"] if h["match"]]:
                why.append(
                    f"on {escape(hit['list'])} as <b>{escape(hit['caption'])}</b> "
                    f"({escape(hit['list'])}-{escape(hit['list_entity_id'])}), score "
                    f"{hit['score']:.2f}: {escape(hit['explanation'])}"
                )
            if entity["ownership"]:
                share = entity["ownership"]["share"]
                why.append(
                    f"50% rule: {escape(entity['ownership']['status'])}, {share:g}% held by "
                    "blocked owners: "
                    + "; ".join(_edge_text(e, name) for e in entity["ownership"]["edges"])
                )
            for path in entity["exposure"]["paths"][:5]:
                why.append(
                    f"{path['hops']} hop(s) to {name(path['to'])}: "
                    + " → ".join(_edge_text(e, name) for e in path["edges"])
                )
            for path in entity["exposure"]["contested_paths"][:3]:
                why.append(
                    f"not used (contested): to {name(path['to'])}: "
                    + " → ".join(_edge_text(e, name) for e in path["edges"])
                )
            described = (
                f", described as “{escape(entity['description'])}”" if entity.get("unnamed") else ""
            )
            parts.append(
                f"<tr><td>{escape(entity['names'][0])}<div class='small'>"
                f"{escape(entity['schema'])}{described}</div></td>"
                f"<td><span class='{LEVEL_CLASS.get(level, '')}'>{escape(level)}</span></td>"
                f"<td>{'<br>'.join(why)}</td></tr>"
            )
        parts.append("</table>")
    near = [e for e in data["entities"] if any(not h["match"] for h in e["sanctions"])]
    if near:
        parts.append(
            "<h2>Possible matches below the threshold</h2><p class='small'>For a reviewer: "
            "these do not count as matches and carry no exposure.</p><table><tr><th>party</th>"
            "<th>list entry</th><th>score</th><th>why</th></tr>"
        )
        for entity in near:
            for hit in [h for h in entity["sanctions"] if not h["match"]]:
                parts.append(
                    f"<tr><td>{escape(entity['names'][0])}</td><td>{escape(hit['caption'])} "
                    f"({escape(hit['list'])}-{escape(hit['list_entity_id'])})</td>"
                    f"<td>{hit['score']:.2f}</td><td>{escape(hit['explanation'])}</td></tr>"
                )
        parts.append("</table>")
    parts.append("<h2>Relations, with the sentence that states each</h2>")
    parts.append(
        "<table><tr><th>relation</th><th>stance</th><th>according to</th><th>evidence</th></tr>"
    )
    for relation in data["relations"]:
        stance = relation["stance"]
        said = relation["attributed_to"]["text"] if relation["attributed_to"] else "the document"
        quotes = "<br>".join(
            f"<span class='quote'>“{escape(e['text'])}”</span>" for e in relation["evidence"][:3]
        )
        parts.append(
            f"<tr><td>{name(relation['source'])} — {escape(relation['type'])} "
            f"({escape(relation['role'])}) → {name(relation['target'])}</td>"
            f"<td><span class='{escape(stance)}'>{escape(stance)}</span></td>"
            f"<td>{escape(said)}</td><td>{quotes}</td></tr>"
        )
    parts.append("</table>")
    if data["timeline"]:
        parts.append("<h2>Timeline</h2><table><tr><th>date</th><th>what</th></tr>")
        for item in data["timeline"]:
            parts.append(f"<tr><td>{escape(item['date'])}</td><td>{escape(item['text'])}</td></tr>")
        parts.append("</table>")
    for title, items in (
        (
            "Parties merged across documents",
            [(name(m["entity"]), m["reason"]) for m in data["merges"]],
        ),
        (
            "Files not processed",
            [(escape(i["source"]), i["reason"]) for i in data["not_processed"]],
        ),
        (
            "Documents not extracted",
            [(escape(i["source"]), i["reason"]) for i in data["not_extracted"]],
        ),
    ):
        if items:
            parts.append(f"<h2>{title}</h2><ul>")
            parts.extend(f"<li>{what}: {escape(why or '')}</li>" for what, why in items)
            parts.append("</ul>")
    parts.append("<h2>Documents</h2><ul>")
    for document in data["documents"]:
        parts.append(
            f"<li>{escape(document['title'] or document['source'])} "
            f"<span class='small'>{escape(document['published'] or '')} "
            f"sha256 {escape(document['id'][:12])}…</span></li>"
        )
    parts.append("</ul></body></html>")
    return "\n".join(parts)


def _network(findings: Findings, data: dict[str, Any]) -> list[str]:
    """The interactive network: Cytoscape.js (bundled, inlined), sanctioned parties
    marked, denied and unconfirmed links dashed; a click on a link shows its sentences
    and sources, a click on a party its exposure. Hidden when printed (the paths are
    written out below)."""
    levels = {e["id"]: e["exposure"]["level"] for e in data["entities"]}
    levels.update({n["id"]: n["exposure"]["level"] for n in data["other_nodes"]})
    evidence = {
        r["id"]: {
            "quotes": [e["text"] for e in r["evidence"][:5]],
            "by": r["attributed_to"]["text"] if r["attributed_to"] else "the document",
        }
        for r in data["relations"]
    }
    elements: list[dict[str, Any]] = []
    for node, caption in findings.graph.nodes.items():
        level = levels.get(node, "none")
        elements.append(
            {"data": {"id": node, "label": caption, "level": level},
             "classes": LEVEL_CLASS.get(level, "plain")}
        )  # fmt: skip
    for edge in findings.graph.edges:
        quotes = evidence.get(edge.id, {"quotes": [], "by": ", ".join(edge.sources)})
        elements.append(
            {
                "data": {
                    "id": edge.id,
                    "source": edge.source,
                    "target": edge.target,
                    "label": f"{edge.type} ({edge.role})" if edge.role else edge.type,
                    "stance": edge.stance,
                    "quotes": quotes["quotes"],
                    "by": quotes["by"] or "a list",
                },
                "classes": edge.stance,
            }
        )
    payload = json.dumps(elements, ensure_ascii=False).replace("<", "\\u003c")
    library = (files("redthread.report") / "static" / "cytoscape.min.js").read_text("utf-8")
    return [
        "<h2 class='screen'>Network</h2>",
        "<div class='screen' id='network-box'><div id='network'></div>"
        "<div id='detail'>Click a party or a link.</div></div>",
        f"<script type='application/json' id='graph-data'>{payload}</script>",
        f"<script>{library}</script>",
        f"<script>{NETWORK_SCRIPT}</script>",
    ]


NETWORK_SCRIPT = """
(function () {
  var box = document.getElementById('network');
  if (!box || typeof cytoscape === 'undefined') { return; }
  var elements = JSON.parse(document.getElementById('graph-data').textContent);
  var cy = cytoscape({
    container: box, elements: elements, wheelSensitivity: 0.3,
    layout: {name: 'cose', animate: false, randomize: false, nodeRepulsion: 9000},
    style: [
      {selector: 'node', style: {'label': 'data(label)', 'font-size': 10,
        'background-color': '#8aa', 'text-wrap': 'wrap', 'text-max-width': 120}},
      {selector: 'node.sanctioned', style: {'background-color': '#b00020', 'color': '#b00020',
        'font-weight': 'bold'}},
      {selector: 'node.owned', style: {'background-color': '#f08080'}},
      {selector: 'node.linked', style: {'background-color': '#e0b000'}},
      {selector: 'edge', style: {'width': 1.5, 'curve-style': 'bezier',
        'target-arrow-shape': 'triangle', 'line-color': '#999', 'target-arrow-color': '#999',
        'label': 'data(label)', 'font-size': 8, 'color': '#555'}},
      {selector: 'edge.denied', style: {'line-style': 'dashed', 'line-color': '#b00020',
        'target-arrow-color': '#b00020'}},
      {selector: 'edge.unconfirmed', style: {'line-style': 'dashed', 'line-color': '#a06000'}}
    ]
  });
  var detail = document.getElementById('detail');
  function show(title, lines) {
    detail.textContent = '';
    var head = document.createElement('b');
    head.textContent = title;
    detail.appendChild(head);
    lines.forEach(function (line) {
      var p = document.createElement('p');
      p.textContent = line;
      detail.appendChild(p);
    });
  }
  cy.on('tap', 'edge', function (event) {
    var d = event.target.data();
    var lines = ['stance: ' + d.stance, 'according to: ' + d.by];
    d.quotes.forEach(function (q) { lines.push('\u201c' + q + '\u201d'); });
    show(d.label, lines);
  });
  cy.on('tap', 'node', function (event) {
    var d = event.target.data();
    show(d.label, ['exposure: ' + d.level]);
  });
  window.redthreadNetwork = cy;
})();
"""


def _edge_text(edge: dict[str, Any], name: Any) -> str:
    stance = edge["stance"]
    mark = (
        "" if stance == "asserted" else f" <span class='{escape(stance)}'>[{escape(stance)}]</span>"
    )
    share = f" {edge['percentage']:g}%" if edge.get("percentage") is not None else ""
    return (
        f"{name(edge['source'])} —{escape(edge['type'])}{share} ({escape(edge['role'])})→ "
        f"{name(edge['target'])}{mark}"
    )
