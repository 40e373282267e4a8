"""Synthetic conflict reports for benchmarks: unique, realistic in length and shape.

Each report is built from sentence templates and word lists (places, actors, sources,
weapons, numbers, dates), so no two are alike, yet they read like the short security
reports ember ingests. About half are saved as HTML pages wrapped in site boilerplate
(navigation, share bar, comments, footer), half as plain text copied from a page. A few
percent are syndicated copies of an earlier report (new header and footer, one sentence
changed), which ember should store as near-duplicates.

Reports are written one file at a time, so generating 100,000 needs no more memory
than generating ten."""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CorpusStats", "report_texts", "write_corpus"]

PLACES = (
    ("Mosul", "Nineveh"), ("Tal Afar", "Nineveh"), ("Sinjar", "Nineveh"),
    ("Kirkuk", "Kirkuk"), ("Hawija", "Kirkuk"), ("Daquq", "Kirkuk"),
    ("Baquba", "Diyala"), ("Muqdadiya", "Diyala"), ("Khanaqin", "Diyala"),
    ("Samarra", "Salahuddin"), ("Tikrit", "Salahuddin"), ("Baiji", "Salahuddin"),
    ("Ramadi", "Anbar"), ("Fallujah", "Anbar"), ("al-Qaim", "Anbar"), ("Rawa", "Anbar"),
    ("Haditha", "Anbar"), ("Tarmiyah", "Baghdad"), ("Abu Ghraib", "Baghdad"),
    ("Deir ez-Zor", "Deir ez-Zor"), ("al-Mayadin", "Deir ez-Zor"),
    ("Albu Kamal", "Deir ez-Zor"), ("Hajin", "Deir ez-Zor"), ("al-Shuhayl", "Deir ez-Zor"),
    ("Raqqa", "Raqqa"), ("Tabqa", "Raqqa"), ("al-Hasakah", "Hasakah"),
    ("Qamishli", "Hasakah"), ("al-Shaddadi", "Hasakah"), ("Palmyra", "Homs"),
    ("al-Sukhnah", "Homs"), ("Manbij", "Aleppo"), ("al-Bab", "Aleppo"),
)  # fmt: skip
ATTACKERS = (
    "Islamic State", "ISIS", "ISIL", "Daesh", "gunmen believed to belong to the Islamic State",
    "a cell of the Islamic State", "unidentified gunmen", "suspected jihadists",
)  # fmt: skip
FORCES = (
    "the Iraqi army", "the Federal Police", "the Popular Mobilisation Forces",
    "the Counter Terrorism Service", "Kurdish Peshmerga forces", "the Syrian Democratic Forces",
    "Syrian government forces", "the Asayish", "tribal fighters", "the National Defence Forces",
)  # fmt: skip
TARGETS = (
    "an army checkpoint", "a police patrol", "a village council", "a power station",
    "an oil well", "a military convoy", "a market", "a shepherd's camp", "a mosque",
    "a water pumping station", "an outpost", "a truck carrying workers",
)  # fmt: skip
WEAPONS = (
    "an improvised explosive device", "a roadside bomb", "small arms fire", "mortar rounds",
    "a car bomb", "a suicide vest", "sniper fire", "rocket-propelled grenades",
    "a drone strike", "an ambush with machine guns",
)  # fmt: skip
SOURCES = (
    "a security source", "the provincial police command", "local officials",
    "the Security Media Cell", "a spokesman for the Joint Operations Command",
    "the Syrian Observatory for Human Rights", "medical sources", "residents",
    "a commander who asked not to be named", "the coalition",
)  # fmt: skip
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
OUTLETS = (
    "Euphrates Monitor", "Levant Ledger", "Tigris Post", "Frontline Review",
    "Mesopotamia Wire", "Borderlands Review", "Crescent Times", "Relief Desk",
)  # fmt: skip
NAMES = ("Ali", "Omar", "Leyla", "Hiba", "Karim", "Nadia", "Rojda", "Samir", "Dara", "Zainab")
SURNAMES = ("Haddad", "Jabbar", "Nasser", "Mansour", "Salih", "Karam", "Ahmed", "Hassan")

EVENT = (
    "{attacker} attacked {target} near {place} in {province} province on {date}, "
    "killing {killed} and wounding {wounded}, {source} said.",
    "At least {killed} people were killed when {weapon} hit {target} outside {place} on "
    "{date}, according to {source}.",
    "{force} said they had arrested {arrested} suspects in raids around {place} after "
    "{weapon} struck {target} on {date}.",
    "{source} reported that {attacker} used {weapon} against {target} in {place}, "
    "leaving {killed} dead.",
)  # fmt: skip
CONTEXT = (
    "{force} launched a sweep of the farmland and river islands around {place}, backed by "
    "air support, and said {arrested} people had been detained for questioning.",
    "Attacks of this kind have risen in {province} since {month}, when {force} reduced the "
    "number of checkpoints on the road to {place2}.",
    "Residents of {place} said the area had been quiet for {weeks} weeks before the attack, "
    "and that many families had only recently returned.",
    "The {province} provincial council called for more troops to be sent to {place}, "
    "saying that {killed} members of the security forces had been killed there this year.",
    "Analysts say the cells operate in groups of {small} to {large} fighters, move at night "
    "and hide in orchards, caves and dry riverbeds between {place} and {place2}.",
    "{source} said the attackers fled towards {place2} and that a search was under way.",
    "A statement by {force} said the situation in {place} was under control and that roads "
    "into the town had been reopened on {date}.",
    "Officials estimate that about {displaced} families remain displaced from villages "
    "around {place}, and that demining has cleared only part of the farmland.",
)  # fmt: skip
CLOSING = (
    "No group had claimed responsibility by the evening.",
    "The Islamic State claimed the attack through its Amaq news agency the next day.",
    "The wounded were taken to the general hospital in {place2}.",
    "Funerals for the victims were held in {place} on the following day.",
)  # fmt: skip


@dataclass(slots=True)
class CorpusStats:
    documents: int = 0
    html: int = 0
    text: int = 0
    near_duplicates: int = 0
    bytes: int = 0


def _fill(template: str, rng: random.Random) -> str:
    place, province = rng.choice(PLACES)
    year = rng.randint(2017, 2023)
    values = {
        "attacker": rng.choice(ATTACKERS), "force": rng.choice(FORCES),
        "target": rng.choice(TARGETS), "weapon": rng.choice(WEAPONS),
        "source": rng.choice(SOURCES), "place": place, "province": province,
        "place2": rng.choice(PLACES)[0], "month": rng.choice(MONTHS),
        "date": f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year}",
        "killed": rng.randint(1, 40), "wounded": rng.randint(0, 90),
        "arrested": rng.randint(2, 60), "weeks": rng.randint(2, 30),
        "small": rng.randint(3, 5), "large": rng.randint(6, 15),
        "displaced": rng.randint(50, 5000),
    }  # fmt: skip
    text = template.format(**values)
    return text[0].upper() + text[1:]


def _paragraphs(rng: random.Random) -> list[str]:
    paragraphs = [" ".join(_fill(rng.choice(EVENT), rng) for _ in range(2))]
    for _ in range(rng.randint(5, 9)):
        sentences = [_fill(rng.choice(CONTEXT), rng) for _ in range(rng.randint(2, 3))]
        paragraphs.append(" ".join(sentences))
    paragraphs.append(_fill(rng.choice(CLOSING), rng))
    return paragraphs


@dataclass(frozen=True, slots=True)
class _Report:
    headline: str
    author: str
    outlet: str
    date: str
    paragraphs: list[str]


def _report(rng: random.Random) -> _Report:
    place, _ = rng.choice(PLACES)
    return _Report(
        headline=f"{rng.choice(TARGETS).capitalize()} attacked near {place}",
        author=f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}",
        outlet=rng.choice(OUTLETS),
        date=f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2017, 2023)}",
        paragraphs=_paragraphs(rng),
    )


def _syndicated(original: _Report, rng: random.Random) -> _Report:
    paragraphs = list(original.paragraphs)
    paragraphs[-1] = _fill(rng.choice(CLOSING), rng)
    paragraphs.append(f"This report first appeared in {original.outlet} and is republished "
                      "with permission.")  # fmt: skip
    return _Report(
        headline=original.headline,
        author=original.author,
        outlet=rng.choice([o for o in OUTLETS if o != original.outlet]),
        date=original.date,
        paragraphs=paragraphs,
    )


def _as_text(report: _Report, rng: random.Random) -> str:
    lines = [
        f"{report.outlet.upper()}  |  Iraq  Syria  Analysis  Subscribe",
        "",
        report.headline,
        "",
        f"By {report.author}",
        f"Published {report.date}",
        "",
        *[p + "\n" for p in report.paragraphs],
        "Share this:  Facebook  |  Twitter  |  WhatsApp  |  Email",
        f"{rng.randint(0, 300)} comments",
        f"© {report.outlet}. All rights reserved.",
    ]
    return "\n".join(lines) + "\n"


def _as_html(report: _Report, rng: random.Random) -> str:
    e = html.escape
    body = "\n".join(f"<p>{e(p)}</p>" for p in report.paragraphs)
    comments = "\n".join(
        f"<li><b>reader{rng.randint(1, 9999)}</b><p>{e(_fill(rng.choice(CONTEXT), rng))}</p></li>"
        for _ in range(rng.randint(0, 4))
    )
    nav = " ".join(f"<a href='/{s.lower()}/'>{s}</a>" for s in ("Iraq", "Syria", "Opinion", "Data"))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{e(report.headline)} | {e(report.outlet)}</title>
<meta property="og:title" content="{e(report.headline)}">
<meta property="og:site_name" content="{e(report.outlet)}">
<meta name="author" content="{e(report.author)}"></head>
<body><div class="cookies">We use cookies to improve your experience. <button>Accept</button></div>
<header><a class="logo" href="/">{e(report.outlet)}</a><nav>{nav}</nav></header>
<main><article><h1>{e(report.headline)}</h1>
<p class="byline">By {e(report.author)} · {e(report.date)}</p>
{body}
<div class="share">Share: <a href="#">Facebook</a> <a href="#">Twitter</a></div></article>
<section class="comments"><h2>Comments</h2><ol>{comments}</ol></section>
<aside><h2>Most read</h2><ul><li><a href="/a">Oil exports rise</a></li>
<li><a href="/b">Elections set</a></li></ul></aside></main>
<footer><p>© {e(report.outlet)}</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>
"""


def write_corpus(
    folder: Path, n: int, *, seed: int = 1, html_share: float = 0.5, near_dup_share: float = 0.03
) -> CorpusStats:
    """Write ``n`` reports under ``folder`` (1,000 per subfolder); return what was written."""
    rng = random.Random(seed)
    stats = CorpusStats()
    recent: list[_Report] = []
    for i in range(n):
        copy = recent and rng.random() < near_dup_share
        report = _syndicated(rng.choice(recent), rng) if copy else _report(rng)
        recent = [*recent[-49:], report]  # copies come from the last 50 reports only
        as_html = rng.random() < html_share
        content = _as_html(report, rng) if as_html else _as_text(report, rng)
        sub = folder / f"{i // 1000:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"report-{i:06d}.{'html' if as_html else 'txt'}"
        path.write_text(content, encoding="utf-8")
        stats.documents += 1
        stats.html += as_html
        stats.text += not as_html
        stats.near_duplicates += bool(copy)
        stats.bytes += len(content.encode())
    return stats


def report_texts(count: int, *, seed: int = 1) -> list[str]:
    """``count`` clean report texts (headline and paragraphs), as ingest would store them."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        report = _report(rng)
        texts.append("\n".join([report.headline, *report.paragraphs]))
    return texts
