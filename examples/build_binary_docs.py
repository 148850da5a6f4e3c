#!/usr/bin/env python3
"""Build the binary sample documents of the example knowledge base.

This script is how the committed binary samples in ``examples/knowledge-base``
were made. It (re)generates every ``.docx``, ``.pptx`` and ``.pdf`` file of the
sample knowledge base of the fictional "AI in Clinical Practice CoP" at
St. Brigid's University Hospital, together with each file's metadata sidecar
(``NAME.ext.meta.yaml``), from text held in this script.

The output is deterministic: document properties use fixed dates, ZIP-based
Office files are rewritten with fixed timestamps, and PDFs are produced in
reportlab's "invariant" mode. Running the script twice produces identical
files, so it is safe to re-run at any time.

Usage (from the repository root)::

    .venv/bin/python examples/build_binary_docs.py

Requires python-docx, python-pptx and reportlab.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Pt
from pptx import Presentation
from pptx.util import Pt as PptPt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

KB = Path(__file__).resolve().parent / "knowledge-base"
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def write_sidecar(target: Path, meta: dict) -> None:
    """Write NAME.ext.meta.yaml next to ``target`` (plain YAML, no --- lines)."""
    lines = [
        f'title: "{meta["title"]}"',
        f'author: "{meta["author"]}"',
        f"tags: {_yaml_list(meta['tags'])}",
        f"date: {meta['date']}",
        f"audience: {_yaml_list(meta['audience'])}",
    ]
    for key, value in meta.get("extra", {}).items():
        lines.append(f"{key}: {value}")
    sidecar = target.with_name(target.name + ".meta.yaml")
    sidecar.write_text("\n".join(lines) + "\n", encoding="utf-8")


def normalise_zip(path: Path) -> None:
    """Rewrite an Office (ZIP) file with fixed timestamps so output is stable."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    path.write_bytes(buf.getvalue())


def _fixed_datetime(date_str: str) -> dt.datetime:
    return dt.datetime.fromisoformat(date_str + "T09:00:00")


def set_core_properties(props, meta: dict) -> None:
    stamp = _fixed_datetime(meta["date"])
    props.title = meta["title"]
    props.author = meta["author"]
    props.subject = "AI in Clinical Practice CoP - St. Brigid's University Hospital"
    props.keywords = ", ".join(meta["tags"])
    props.last_modified_by = meta["author"]
    props.created = stamp
    props.modified = stamp
    props.revision = 1


# --------------------------------------------------------------------------
# DOCX documents
# --------------------------------------------------------------------------

def _docx_table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text


def build_docx(path: Path, meta: dict, blocks: list[tuple], landscape: bool = False) -> None:
    """Blocks: ("h1"|"h2"|"h3"|"p", text), ("ul"|"ol", [items]), ("table", header, rows)."""
    doc = Document()
    if landscape:
        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    set_core_properties(doc.core_properties, meta)
    for block in blocks:
        kind = block[0]
        if kind == "title":
            doc.add_heading(block[1], level=0)
        elif kind in ("h1", "h2", "h3"):
            doc.add_heading(block[1], level=int(kind[1]))
        elif kind == "p":
            doc.add_paragraph(block[1])
        elif kind == "ul":
            for item in block[1]:
                doc.add_paragraph(item, style="List Bullet")
        elif kind == "ol":
            for item in block[1]:
                doc.add_paragraph(item, style="List Number")
        elif kind == "table":
            _docx_table(doc, block[1], block[2])
            doc.add_paragraph("")
        else:  # pragma: no cover - programming error
            raise ValueError(kind)
    doc.save(path)
    normalise_zip(path)
    write_sidecar(path, meta)


SEPSIS_META = {
    "title": "Project Write-up: Sepsis Early Warning Pilot",
    "author": "Siobhán Daly",
    "tags": ["project", "evaluation", "safety"],
    "date": "2026-03-02",
    "audience": ["members", "clinicians"],
    "extra": {"version": '"1.1"'},
}

SEPSIS_BLOCKS = [
    ("title", "Project Write-up: Sepsis Early Warning Pilot"),
    ("p", "Wards 7A and 7B, St. Brigid's University Hospital. Version 1.1, 2 March 2026 "
          "(version 1.0 was filed on 28 January 2026; version 1.1 adds the AI Oversight "
          "Committee decision on scale-up). Author: Siobhán Daly, Clinical Nurse Manager, "
          "Ward 7A, clinical lead for the pilot."),
    ("h1", "1. Summary"),
    ("p", "The Sepsis Early Warning (SEW) pilot tested a machine learning model that predicts "
          "which adult inpatients are developing sepsis, so that nurses can review them and "
          "start treatment earlier. The pilot ran for 26 weeks, from 2 June to 30 November "
          "2025, on the two acute medical wards 7A and 7B. It was approved by the AI "
          "Oversight Committee (AIOC) as a Tier 2 tool: every alert is reviewed by a nurse "
          "and no treatment is started automatically."),
    ("p", "The median time from first alert to first antibiotic dose for patients with "
          "sepsis was 148 minutes during the pilot, compared with 212 minutes on the same "
          "wards in 2024. After the alert threshold was raised from 55 to 65 on 11 August "
          "2025, alerts fell from 9.1 to 4.3 per ward per day. On 26 February 2026 the AIOC "
          "approved scale-up to four further wards from 20 April 2026."),
    ("h1", "2. The tool"),
    ("p", "The model is supplied by Auralis Health. It calculates the Auralis Sepsis Risk Score "
          "(ASRS), a number from 0 to 100, every 15 minutes for every adult inpatient, using "
          "vital signs and laboratory results from the Electronic Health Record (EHR): heart "
          "rate, respiratory rate, temperature, blood pressure, oxygen saturation, level of "
          "consciousness, white cell count, lactate and creatinine. The vendor reports an "
          "AUROC of 0.87 on its development data."),
    ("p", "When the score reaches the threshold, the nurse in charge receives an alert on the "
          "ward handheld devices. The response standard is:"),
    ("ol", [
        "Review the patient within 30 minutes of the alert.",
        "Record the review with the one-tap response: \"sepsis suspected - escalating\" or "
        "\"reviewed - not sepsis\".",
        "If sepsis is suspected, escalate to the medical team and start the hospital sepsis "
        "pathway.",
    ]),
    ("h1", "3. Pilot design"),
    ("ul", [
        "Wards: 7A and 7B (acute medicine), 56 beds in total.",
        "Dates: 2 June to 30 November 2025 (26 weeks).",
        "Population: all adult admissions to the two wards; 1,946 admissions in total.",
        "Reference standard: sepsis confirmed by the sepsis team's case review within 72 hours; "
        "143 admissions met the definition.",
        "Comparison: patients with sepsis on the same wards from June to November 2024.",
        "Data analysis: Marek Nowak, Clinical Data Platform team, in BrigidLab.",
    ]),
    ("h1", "4. Results"),
    ("h2", "4.1 Model performance and alert burden"),
    ("table",
     ["Measure", "Threshold 55 (2 Jun - 10 Aug 2025)", "Threshold 65 (11 Aug - 30 Nov 2025)"],
     [
         ["Sensitivity", "88%", "82%"],
         ["Positive Predictive Value (PPV)", "14%", "24%"],
         ["Alerts per ward per day", "9.1", "4.3"],
         ["Alerts reviewed within 30 minutes", "58%", "87%"],
     ]),
    ("h2", "4.2 Clinical process"),
    ("ul", [
        "Median time from first alert to first antibiotic dose: 148 minutes (2024 comparison: 212 minutes).",
        "Proportion of patients with sepsis receiving antibiotics within 1 hour of recognition: "
        "71% (2024: 52%).",
        "Admissions to ICU from the two wards with sepsis: 11 (2024: 15). The pilot was not "
        "designed to show a difference in ICU admissions or mortality.",
    ]),
    ("h2", "4.3 Staff experience"),
    ("p", "A survey of 64 nurses in November 2025 found that 78% agreed that the alerts "
          "\"helped me spot deteriorating patients earlier\" after the threshold change, "
          "compared with 41% in a survey in July 2025. Night-shift staff were the most "
          "critical before the change and among the most positive after it."),
    ("h1", "5. What we changed during the pilot"),
    ("ul", [
        "Raised the threshold from 55 to 65 on 11 August 2025, agreed with the Clinical Safety "
        "Officer, Dr. Conor Healy.",
        "Suppressed repeat alerts for 6 hours after a documented review, unless the score rises "
        "by 10 points or more.",
        "Suppressed alerts for patients already given antibiotics in the previous 24 hours.",
        "Added the one-tap review response so that nurses' judgement could be audited.",
    ]),
    ("p", "The full story of these changes is in the lessons-learned document "
          "\"Lessons Learned: Alert Fatigue in the Sepsis Early Warning Pilot\"."),
    ("h1", "6. Costs"),
    ("p", "The pilot was run under a fixed pilot fee of EUR 24,000 for six months. The "
          "proposed scale-up contract covering six wards (7A, 7B, 5A, 5B, 6A and 6B) costs "
          "EUR 68,000 per year and is being tendered through the Procurement Office."),
    ("h1", "7. Decision and next steps"),
    ("p", "The AIOC approved Stage 4 (scale-up) at its meeting on 26 February 2026, with three "
          "conditions:"),
    ("ol", [
        "At least 80% of nurses on each ward must be trained before go-live (on the original "
        "pilot wards only 64% were trained on day one).",
        "The threshold stays at 65, with a review of alert volumes and PPV after the first "
        "four weeks on each ward.",
        "A monthly performance report is sent to the AIOC for the first six months.",
    ]),
    ("p", "Go-live on Wards 5A, 5B, 6A and 6B is planned for Monday 20 April 2026. Training "
          "sessions for the four wards start on 23 March 2026."),
    ("h1", "8. Project team"),
    ("ul", [
        "Clinical lead: Siobhán Daly, Clinical Nurse Manager, Ward 7A",
        "Data lead: Marek Nowak, Clinical Data Platform team",
        "Executive clinical sponsor: Dr. Amara Okafor, Consultant in Acute Medicine",
        "Clinical safety: Dr. Conor Healy, Clinical Safety Officer",
        "Sepsis team: the hospital's sepsis nurse specialists",
    ]),
]


RISK_META = {
    "title": "CoP Risk Register",
    "author": "Tomás Lindqvist",
    "tags": ["risk", "governance", "safety"],
    "date": "2026-03-03",
    "audience": ["members", "clinicians", "it-staff"],
    "extra": {"version": '"1.4"', "review_due": "2026-04-07"},
}

RISK_ROWS = [
    ["R01", "Alert fatigue: nurses stop responding to sepsis alerts", "Sepsis Early Warning",
     "3", "4", "12", "Amber", "Siobhán Daly",
     "Threshold 65; repeat-alert suppression; alerts per ward per day monitored weekly", "Jun 2025"],
    ["R02", "Automation bias: un-flagged chest X-rays treated as normal before the radiologist reports",
     "ChestFlag", "3", "5", "15", "Red", "Dr. Rajesh Menon",
     "ED banner \"No AI flag ≠ normal\"; ED teaching; SafeReport monitoring", "Nov 2025"],
    ["R03", "Hallucinated or incorrect content in ambient scribe notes signed without full review",
     "ScribeAssist", "3", "4", "12", "Amber", "Dr. Felix Adeyemi",
     "Scroll-to-sign; high-risk medicines highlighted; audit of 50 notes per month", "Oct 2025"],
    ["R04", "Patient-identifiable data entered into public chatbots or BrigidGPT", "All",
     "3", "5", "15", "Red", "Gráinne O'Sullivan (DPO)",
     "Data traffic light guidance; AI Essentials module; consumer chatbots blocked on the hospital network since 1 December 2025", "Mar 2025"],
    ["R05", "Model drift reduces performance of a live tool", "Sepsis Early Warning, ChestFlag",
     "3", "4", "12", "Amber", "Marek Nowak",
     "Monitoring dashboards; quarterly AIOC reports; agreed stop criteria", "Jun 2025"],
    ["R06", "Vendor lock-in: hospital cannot exit a contract or recover its data", "All purchased tools",
     "2", "3", "6", "Green", "Tomás Lindqvist",
     "Procurement checklist: 90-day termination, data return within 30 days", "Apr 2025"],
    ["R07", "Medication error in an LLM-drafted discharge summary reaches the GP", "DischargeDraft",
     "3", "5", "15", "Red", "Niamh Walsh",
     "Medication section taken from the eMed record, not generated; pharmacist check of every pilot summary", "Dec 2025"],
    ["R08", "Tool performs worse for some patient groups (inequity)", "All",
     "3", "4", "12", "Amber", "Marek Nowak",
     "Subgroup analysis by age, sex and ethnicity; PPI patient panel review", "Sep 2025"],
    ["R09", "Tool downtime disrupts clinical workflow", "All live tools",
     "2", "3", "6", "Green", "Tomás Lindqvist",
     "Written downtime procedures; tested during ChestFlag outage on 3 Feb 2026", "Jun 2025"],
    ["R10", "Deskilling of junior staff who rely on AI output", "All",
     "2", "3", "6", "Green", "Hannah Byrne",
     "Training includes AI-free practice; supervisors check reasoning, not just outputs", "Jan 2026"],
]

RISK_BLOCKS = [
    ("title", "CoP Risk Register"),
    ("p", "AI in Clinical Practice CoP, St. Brigid's University Hospital. Version 1.4, last "
          "reviewed on 3 March 2026 by Tomás Lindqvist (co-facilitator) with the working group "
          "leads. Next review: 7 April 2026."),
    ("h1", "Purpose"),
    ("p", "This register records the risks that CoP members have identified in the AI tools "
          "used or evaluated at St. Brigid's, and who is responsible for managing each one. It "
          "does not replace the hospital's corporate risk register: risks scoring 15 or more "
          "(Red) are also reported to the AI Oversight Committee (AIOC) and entered on the "
          "corporate register by the AIOC secretary."),
    ("h1", "How risks are scored"),
    ("p", "Each risk is scored for likelihood (L) and impact (I) on a scale of 1 to 5. The "
          "risk score is L multiplied by I."),
    ("ul", [
        "Green: score 1 to 6 - managed within the project; reviewed quarterly.",
        "Amber: score 8 to 12 - reviewed monthly by the CoP facilitators.",
        "Red: score 15 to 25 - reported to the AIOC; reviewed monthly; owner must be named at "
        "consultant, senior manager or DPO level.",
    ]),
    ("h1", "Register"),
    ("table",
     ["ID", "Risk", "Tool or project", "L", "I", "Score", "Rating", "Owner", "Key mitigations", "Added"],
     RISK_ROWS),
    ("h1", "Summary"),
    ("ul", [
        "Ten open risks: three Red (R02, R04, R07), four Amber (R01, R03, R05, R08) and three "
        "Green (R06, R09, R10).",
        "The three Red risks were reported to the AIOC on 26 February 2026.",
        "No risks were closed in this review.",
    ]),
    ("h1", "Changes since version 1.3"),
    ("ul", [
        "R02: likelihood raised from 2 to 3 after two SafeReport near misses in the Emergency "
        "Department in January 2026; the ED banner was added as a mitigation.",
        "R03: mitigations updated after the ScribeAssist audit (9 of 300 notes with clinically "
        "significant errors).",
        "R07: mitigations updated after the DischargeDraft redesign agreed on 10 February 2026.",
        "R10: new risk, added in January 2026 at the suggestion of the Education and Training "
        "Working Group.",
    ]),
    ("h1", "How to add a risk"),
    ("ol", [
        "Email aicop@stbrigids.ie with a one-sentence description of the risk and the tool it "
        "relates to.",
        "The co-facilitator drafts the entry and proposes a score and an owner.",
        "The entry is confirmed at the next monthly review and announced at the next CoP meeting.",
    ]),
    ("p", "A risk is not an incident. If something has already gone wrong, report it on "
          "SafeReport within 24 hours using the category \"Digital/AI\"."),
]


# --------------------------------------------------------------------------
# PPTX: onboarding talk
# --------------------------------------------------------------------------

PPTX_META = {
    "title": "Onboarding Talk: Welcome to the AI in Clinical Practice CoP",
    "author": "Dr. Amara Okafor",
    "tags": ["onboarding", "training"],
    "date": "2026-03-02",
    "audience": ["newcomers", "members"],
}

PPTX_TITLE = ("Welcome to the AI in Clinical Practice CoP",
              "Newcomer Welcome Session - St. Brigid's University Hospital\n"
              "Dr. Amara Okafor and Tomás Lindqvist - March 2026")

PPTX_SLIDES = [
    ("Who we are", [
        "A Community of Practice (CoP) for everyone adopting AI in clinical care",
        "Nurses, physicians, radiographers, pharmacists, AHPs and IT/data staff",
        "Founded 11 March 2025 with 38 founding members; now over 130",
        "Lead facilitator: Dr. Amara Okafor; co-facilitator: Tomás Lindqvist",
        "Executive sponsor: Prof. Helen Carberry, CCIO",
    ], "We are a community, not a project team. We share experience; we do not approve tools."),
    ("How we meet", [
        "Monthly meeting: second Tuesday, 12:30-13:30",
        "Room 4B, Education Centre (Level 4), and Microsoft Teams",
        "No meeting in August",
        "Channel: #ai-clinical-practice on BrigidChat",
        "Newsletter: CoP Pulse, every month",
    ], "Sandwiches from 12:15. Agenda goes out on the Thursday before each meeting."),
    ("Your first 30 days", [
        "Introduce yourself in #ai-clinical-practice",
        "Attend a Newcomer Welcome Session (first Thursday, 13:00, Teams)",
        "Meet your buddy - paired for your first three months",
        "Complete AI Essentials on LearnBrigid (45 minutes) within 30 days",
        "Read the charter, the glossary and the GenAI safety guide",
    ], "AI Essentials is mandatory. After 60 days without it, channel access is paused."),
    ("How AI tools get approved", [
        "Only the AI Oversight Committee (AIOC) approves tools - not the CoP",
        "Stages: 0 Idea, 1 Proposal, 2 Assurance, 3 Pilot, 4 Scale-up, 5 Monitoring",
        "Risk tiers: Tier 1 low, Tier 2 moderate, Tier 3 high",
        "AIOC meets the last Thursday of each month; papers due 10 working days before",
        "Start with the AI use-case proposal template and a CoP meeting slot",
    ], "AIOC secretary: Lorcan Fitzgerald, aioc@stbrigids.ie."),
    ("Our projects", [
        "Sepsis Early Warning - Wards 7A/7B; four more wards from 20 April 2026",
        "ChestFlag chest X-ray triage - live since 12 January 2026",
        "ScribeAssist ambient scribe - outpatient pilot, Oct 2025 to Jan 2026",
        "DischargeDraft - LLM discharge summaries, preparing a pilot on Ward 6B",
    ], "Project write-ups and lessons learned are in the knowledge base."),
    ("Golden rules and contacts", [
        "Never put patient data into a public chatbot or BrigidGPT",
        "AI output is a draft, not a decision",
        "Report AI incidents on SafeReport within 24 hours (category Digital/AI)",
        "CoP: aicop@stbrigids.ie - DPO: dpo@stbrigids.ie",
        "Safety concerns reach the Clinical Safety Officer within one working day",
    ], "Clinical Safety Officer: Dr. Conor Healy. Data Protection Officer: Gráinne O'Sullivan."),
]


def build_pptx(path: Path) -> None:
    prs = Presentation()
    set_core_properties(prs.core_properties, PPTX_META)
    title_slide = prs.slides.add_slide(prs.slide_layouts[0])
    title_slide.shapes.title.text = PPTX_TITLE[0]
    title_slide.placeholders[1].text = PPTX_TITLE[1]
    for heading, bullets, notes in PPTX_SLIDES:
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = heading
        body = slide.placeholders[1].text_frame
        body.text = bullets[0]
        for bullet in bullets[1:]:
            para = body.add_paragraph()
            para.text = bullet
        for para in body.paragraphs:
            for run in para.runs:
                run.font.size = PptPt(20)
        slide.notes_slide.notes_text_frame.text = notes
    prs.save(path)
    normalise_zip(path)
    write_sidecar(path, PPTX_META)


# --------------------------------------------------------------------------
# PDF documents
# --------------------------------------------------------------------------

_STYLES = getSampleStyleSheet()


def _pdf_story(parts: list[list[tuple]]) -> list:
    """Each part is one page (or more); parts are separated by PageBreak."""
    story: list = []
    for index, part in enumerate(parts):
        if index:
            story.append(PageBreak())
        for block in part:
            kind = block[0]
            if kind == "title":
                story.append(Paragraph(block[1], _STYLES["Title"]))
            elif kind == "h1":
                story.append(Paragraph(block[1], _STYLES["Heading1"]))
            elif kind == "h2":
                story.append(Paragraph(block[1], _STYLES["Heading2"]))
            elif kind == "p":
                story.append(Paragraph(block[1], _STYLES["BodyText"]))
                story.append(Spacer(1, 2 * mm))
            elif kind in ("ul", "ol"):
                items = [ListItem(Paragraph(t, _STYLES["BodyText"]), leftIndent=12)
                         for t in block[1]]
                story.append(ListFlowable(
                    items, bulletType="bullet" if kind == "ul" else "1",
                    start=None if kind == "ol" else "\u2022", leftIndent=14))
                story.append(Spacer(1, 2 * mm))
            elif kind == "table":
                data = [[Paragraph(f"<b>{h}</b>", _STYLES["BodyText"]) for h in block[1]]]
                data += [[Paragraph(c, _STYLES["BodyText"]) for c in row] for row in block[2]]
                table = Table(data, colWidths=block[3] if len(block) > 3 else None,
                              repeatRows=1)
                table.setStyle(TableStyle([
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6F0")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]))
                story.append(table)
                story.append(Spacer(1, 3 * mm))
            else:  # pragma: no cover - programming error
                raise ValueError(kind)
    return story


def build_pdf(path: Path, meta: dict, footer: str, parts: list[list[tuple]]) -> None:
    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(20 * mm, 12 * mm, footer)
        canvas.drawRightString(190 * mm, 12 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        str(path), pagesize=A4, invariant=1,
        leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=22 * mm,
        title=meta["title"], author=meta["author"],
        subject="AI in Clinical Practice CoP - St. Brigid's University Hospital",
        creator="examples/build_binary_docs.py", keywords=", ".join(meta["tags"]),
    )
    doc.build(_pdf_story(parts), onFirstPage=on_page, onLaterPages=on_page)
    write_sidecar(path, meta)


PROCUREMENT_META = {
    "title": "AI Procurement Checklist",
    "author": "Tomás Lindqvist",
    "tags": ["checklist", "governance", "data-protection"],
    "date": "2026-02-18",
    "audience": ["members", "it-staff", "clinicians"],
    "extra": {"version": '"2.1"'},
}

PROCUREMENT_PARTS = [
    [  # page 1
        ("title", "AI Procurement Checklist"),
        ("p", "<i>AI in Clinical Practice CoP, St. Brigid's University Hospital. Version 2.1, "
              "18 February 2026. Owner: Tomás Lindqvist, Clinical Informatics Lead, with the "
              "Procurement Office.</i>"),
        ("h1", "Purpose and scope"),
        ("p", "This checklist must be completed for every AI tool the hospital buys, licenses, "
              "trials free of charge or receives as a new AI feature added to an existing "
              "contract. It makes sure clinical, regulatory, data protection, security and "
              "contractual questions are asked before any commitment is made. The completed "
              "checklist is attached to the project's AI Oversight Committee (AIOC) Stage 2 "
              "submission."),
        ("p", "The project lead completes the checklist with the Procurement Office. Allow six "
              "to eight weeks: the Data Protection Impact Assessment (DPIA) and the ICT Security "
              "review run in parallel and take about 20 and 15 working days respectively."),
        ("h2", "Purchasing thresholds"),
        ("ul", [
            "Under EUR 25,000 (total contract value): three written quotes, approved by the "
            "budget holder.",
            "EUR 25,000 or more: formal tender run by the Procurement Office "
            "(procurement@stbrigids.ie).",
            "Contracts above the EU procurement thresholds: EU-wide tender; the Procurement "
            "Office will advise on timelines, which are typically four to six months.",
        ]),
        ("p", "Free trials are not exempt. A \"free pilot\" still needs a signed data "
              "processing agreement and AIOC Stage 1 approval before any hospital data is used."),
        ("h1", "Section A - Clinical need and intended use"),
        ("ul", [
            "A1. The clinical problem is described, with baseline figures (see the AI use-case "
            "proposal template).",
            "A2. The intended use, intended users and intended patient population are written "
            "down, including exclusions (for example age limits).",
            "A3. A clinical sponsor at consultant or senior nurse/AHP level supports the purchase.",
            "A4. The CoP has discussed the proposal at a monthly meeting (Stage 0).",
            "A5. The workflow after the tool's output is defined: who acts, and how fast.",
            "A6. Alternatives without AI have been considered.",
        ]),
    ],
    [  # page 2
        ("h1", "Section B - Regulation and evidence"),
        ("h2", "Medical device status"),
        ("ul", [
            "B1. The vendor states in writing whether the tool is a medical device. If it is, "
            "it must carry CE marking under the EU Medical Device Regulation (MDR), Regulation "
            "(EU) 2017/745, and the vendor must supply the Declaration of Conformity and the "
            "device class. Tools marketed as \"not a medical device\" but used for diagnosis or "
            "triage must be challenged.",
            "B2. The intended purpose in the CE marking matches how we intend to use the tool. "
            "Use outside the intended purpose is not permitted.",
        ]),
        ("h2", "EU AI Act"),
        ("ul", [
            "B3. The vendor states whether the system is a high-risk AI system under the EU AI "
            "Act, Regulation (EU) 2024/1689. AI that is a safety component of a CE-marked "
            "medical device is generally high-risk.",
            "B4. The vendor supplies instructions for use and the information the hospital "
            "needs to meet its obligations as a deployer, including human oversight measures.",
            "B5. The tool keeps automatically generated logs, and the hospital can retain them "
            "for at least six months.",
        ]),
        ("h2", "Evidence of performance"),
        ("ul", [
            "B6. At least one peer-reviewed or independent external validation study is "
            "available, in a population similar to ours.",
            "B7. Performance is reported for subgroups (age, sex and, where relevant, "
            "ethnicity or skin tone).",
            "B8. A local evaluation plan is agreed with the Evaluation and Safety Working Group: "
            "a silent-mode evaluation of at least 8 weeks, or a sandbox evaluation of at least "
            "200 cases in BrigidLab.",
            "B9. The vendor will notify the hospital of any safety issue or field safety notice "
            "within 5 working days of becoming aware of it.",
        ]),
        ("p", "Lesson from our projects: the sepsis model's PPV at the vendor's default "
              "threshold was 14% locally, compared with 31% in the vendor's material. Never rely "
              "on vendor figures alone."),
    ],
    [  # page 3
        ("h1", "Section C - Data protection and security"),
        ("ul", [
            "C1. A Data Protection Impact Assessment (DPIA) has been started with the Data "
            "Protection Officer, Gráinne O'Sullivan (dpo@stbrigids.ie). It must be approved "
            "before any patient-identifiable data is processed, including in silent mode.",
            "C2. All hospital data is processed and stored within the EU/EEA. Transfers outside "
            "the EU/EEA need prior DPO approval.",
            "C3. The contract prohibits the vendor from using hospital data to train or improve "
            "its models unless the DPO has specifically approved it.",
            "C4. The vendor lists all sub-processors and must give 30 days' notice of any change.",
            "C5. The vendor holds ISO/IEC 27001 certification (or equivalent) covering the "
            "service.",
            "C6. An independent penetration test has been carried out within the last 12 months, "
            "and a summary of findings is provided.",
            "C7. Users sign in with hospital single sign-on; no shared accounts.",
            "C8. The ICT Security review is complete (security@stbrigids.ie; about 15 working "
            "days).",
            "C9. Audit logs record who accessed what and when, and are available to the "
            "hospital on request.",
            "C10. Retention periods for every data type (audio, transcripts, images, prompts, "
            "outputs) are stated and match the DPIA.",
        ]),
        ("h2", "Generative AI tools: extra questions"),
        ("ul", [
            "C11. How does the tool reduce hallucination, and can outputs cite their sources?",
            "C12. How is the tool protected against prompt injection?",
            "C13. Is AI-generated output clearly labelled where it appears?",
        ]),
    ],
    [  # page 4
        ("h1", "Section D - Contract, cost and exit"),
        ("ul", [
            "D1. The hospital has a right to audit the vendor's compliance with the contract.",
            "D2. The hospital can terminate with 90 days' notice without penalty if the tool "
            "fails agreed performance or safety criteria.",
            "D3. On termination, the vendor returns all hospital data within 30 days in an open, "
            "documented format, and then certifies its deletion.",
            "D4. The vendor must notify the hospital at least 30 days before any change to the "
            "model or its thresholds, so the change can be evaluated locally.",
            "D5. The service level is at least 99.5% availability, with support during clinical "
            "hours at minimum.",
            "D6. The total cost of ownership over three years (licences, integration, training, "
            "monitoring staff time) is calculated and the budget holder has agreed it.",
            "D7. Pricing per user, per study or per bed is understood, including what happens if "
            "use grows after scale-up.",
        ]),
        ("h1", "Section E - Sign-off"),
        ("p", "All five signatures are required before the checklist is attached to the AIOC "
              "Stage 2 submission."),
        ("table", ["Role", "Name", "Date"], [
            ["Project lead", "", ""],
            ["Procurement Office", "", ""],
            ["Data Protection Officer", "Gráinne O'Sullivan", ""],
            ["ICT Security", "", ""],
            ["Clinical Safety Officer", "Dr. Conor Healy", ""],
        ], [60 * mm, 70 * mm, 40 * mm]),
        ("p", "Questions about this checklist: Tomás Lindqvist, co-facilitator of the CoP "
              "(aicop@stbrigids.ie)."),
    ],
]


SCRIBE_LL_META = {
    "title": "Lessons Learned from the Ambient Scribe Pilot",
    "author": "Dr. Felix Adeyemi",
    "tags": ["lessons-learned", "project", "safety"],
    "date": "2026-03-05",
    "audience": ["members", "clinicians"],
}

SCRIBE_LL_PARTS = [
    [  # page 1
        ("title", "Lessons Learned from the Ambient Scribe Pilot"),
        ("p", "<i>ScribeAssist pilot in outpatients, 6 October 2025 - 30 January 2026. "
              "Author: Dr. Felix Adeyemi, Consultant Rheumatologist and project lead. "
              "5 March 2026.</i>"),
        ("h1", "Summary"),
        ("p", "Fourteen clinicians in Rheumatology, Diabetes and Endocrinology, and Respiratory "
              "outpatient clinics used ScribeAssist, an ambient scribe from Veritas Voice, for "
              "17 weeks. They documented 2,306 consultations with it. Clinicians saved an "
              "average of 4.5 minutes per consultation and their after-hours documentation fell "
              "by 38%. Patients were overwhelmingly comfortable with it: 6.8% declined "
              "recording."),
        ("p", "The main problem was not the technology but how people reviewed its output. A "
              "safety audit of 300 notes found clinically significant errors in 9 (3%), and one "
              "incorrect dose reached the signed record. Our central lesson is that review must "
              "be designed into the workflow, not left to good intentions."),
        ("h1", "Context"),
        ("p", "The pilot was approved by the AI Oversight Committee (AIOC) at Stage 3 as a Tier 2 "
              "tool. The Data Protection Impact Assessment was signed off by the Data Protection "
              "Officer in September 2025. Audio is deleted as soon as the draft note is "
              "generated; transcripts are kept for 30 days. The consent script was reviewed by "
              "the Patient and Public Involvement (PPI) patient panel led by Siobhán Daly."),
        ("p", "This document reflects the views of the 14 pilot clinicians, gathered at two "
              "debrief sessions on 3 and 10 February 2026, and the results of the safety audit. "
              "The facts and figures are in the project write-up."),
    ],
    [  # page 2
        ("h1", "What went well"),
        ("ul", [
            "Time: 4.5 minutes saved per consultation on average; the largest savings were in "
            "Rheumatology new-patient appointments, where notes are long.",
            "Attention: clinicians said they could look at the patient instead of the screen. "
            "91% of 212 patients surveyed said they received the same or more attention than "
            "usual.",
            "Consent: the PPI-reviewed script took under 30 seconds and patients rarely had "
            "questions. Only 6.8% declined.",
            "Well-being: after-hours (\"pyjama time\") documentation fell by 38%. Two "
            "clinicians said it was the first time in years they had finished letters on the "
            "same day.",
        ]),
        ("h1", "What did not go well"),
        ("h2", "Skim-signing"),
        ("p", "By week 6 several clinicians admitted that they were reading drafts less "
              "carefully because they were usually right. The audit found 9 notes with "
              "clinically significant errors: 3 incorrect medication doses, 4 omitted relevant "
              "negative findings and 2 statements attributed to the wrong speaker. The one error "
              "that reached the signed record was a methotrexate dose recorded as 25 mg weekly "
              "instead of 15 mg weekly. A hospital pharmacist spotted it when checking the "
              "clinic letter; it was corrected within 48 hours and reported on SafeReport. The "
              "patient was not harmed."),
        ("h2", "Interpreter-mediated consultations"),
        ("p", "Accuracy was poor when an interpreter was present, because the tool struggled to "
              "separate three voices and two languages. These consultations were excluded from "
              "20 October 2025."),
        ("h2", "Relatives and shared rooms"),
        ("p", "Most wrong-speaker errors happened when a relative took part. Background noise in "
              "the shared Respiratory clinic rooms also reduced quality."),
        ("h2", "Practicalities"),
        ("p", "Hospital smartphones ran out of battery in long afternoon clinics until charging "
              "docks were installed in week 4."),
    ],
    [  # page 3
        ("h1", "Lessons and recommendations"),
        ("ol", [
            "Design review into the software. The \"sign\" button should only become active "
            "after the clinician has scrolled through the whole note. Good intentions are not "
            "enough.",
            "Highlight high-risk medicines. Drafts that mention methotrexate, insulin, warfarin, "
            "opioids or other high-risk medicines should highlight the dose for an explicit "
            "check.",
            "Keep interpreter-mediated consultations excluded until the vendor's multilingual "
            "model has been evaluated in BrigidLab.",
            "Train with real errors. Showing clinicians anonymised examples of the errors from "
            "our own audit changed behaviour more than any guidance.",
            "Audit continuously: 50 randomly selected notes per month for any extension.",
            "Measure well-being, not just minutes. After-hours documentation was the benefit "
            "clinicians valued most.",
        ]),
        ("h1", "Recommendation to the AIOC"),
        ("p", "We recommend extending ScribeAssist to four more outpatient clinics - Cardiology, "
              "Gastroenterology, Neurology and Dermatology - with the safeguards above. The "
              "extension would involve about 20 clinicians at EUR 95 per clinician per month, "
              "about EUR 22,800 a year, which is below the EUR 25,000 tender threshold. The AIOC "
              "will consider the proposal at its meeting on 26 March 2026."),
        ("h1", "Acknowledgements"),
        ("p", "Thank you to the 14 pilot clinicians, the clinic administrative teams, the PPI "
              "patient panel, Marek Nowak for the audit analysis, and the CoP members who "
              "challenged our early findings at the November 2025 and February 2026 meetings."),
    ],
]


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def main() -> None:
    outputs = [
        (KB / "projects" / "sepsis-early-warning-pilot.docx",
         lambda p: build_docx(p, SEPSIS_META, SEPSIS_BLOCKS)),
        (KB / "governance" / "risk-register.docx",
         lambda p: build_docx(p, RISK_META, RISK_BLOCKS, landscape=True)),
        (KB / "start-here" / "onboarding-talk.pptx", build_pptx),
        (KB / "guides" / "ai-procurement-checklist.pdf",
         lambda p: build_pdf(p, PROCUREMENT_META,
                             "AI Procurement Checklist v2.1 - St. Brigid's University Hospital",
                             PROCUREMENT_PARTS)),
        (KB / "lessons-learned" / "ambient-scribe-lessons-learned.pdf",
         lambda p: build_pdf(p, SCRIBE_LL_META,
                             "Lessons Learned: Ambient Scribe Pilot - AI in Clinical Practice CoP",
                             SCRIBE_LL_PARTS)),
    ]
    for path, builder in outputs:
        path.parent.mkdir(parents=True, exist_ok=True)
        builder(path)
        print(f"wrote {path.relative_to(KB.parent)}")


if __name__ == "__main__":
    main()
