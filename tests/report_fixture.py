"""A handmade, realistic gap analysis for the report tests.

A fictitious State, "Republic of Veridia", assessed against the Smuggling of Migrants Protocol
(party), the Trafficking in Persons Protocol (not a party: preparing to accede) and the
Convention (party). It has every status, citations, an option taken, a notification still owed,
control characters, a 20 000-character note, Arabic and Chinese text and markup that must be
escaped. Treaty text is copied verbatim from obligations/sources/; findings and measures are
invented for the fictitious State.
"""

from __future__ import annotations

from pathlib import Path

from palermo.catalog import load_catalog
from palermo.gaps import priority_of
from palermo.model import (
    AnswerView,
    GapAnalysis,
    Obligation,
    ObligationResult,
    Status,
)

STATE = "Republic of Veridia"
ARABIC_CITATION = "قانون العقوبات رقم 12 لسنة 2010، المادة 45"
ARABIC_NOTE = "النص العربي للقانون هو النص الرسمي الوحيد."
CHINESE_CITATION = "《出入境管理法》第七十一条"
CHINESE_NOTE = "中文译本仅供参考。"
SCRIPT = "<script>alert('x')</script>"
CONTROL = "Seized \x00files\x07 listed\x1b in\x0b annex\x7f 3."
CONTROL_CLEAN = "Seized files listed in annex 3."

def _ob(id: str, article_title: str, text: str, summary: str, strength: str, category: str,
        *, chapeau: str | None = None, **extra: object) -> Obligation:
    parts = id.split(".")
    paragraph = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None
    sub_parts = parts[3:] if paragraph is not None else parts[2:]
    return Obligation(
        id=id, instrument=parts[0], article=int(parts[1]), paragraph=paragraph,
        subparagraph=".".join(sub_parts) or None, article_title=article_title, text=text,
        summary=summary, strength=strength, category=category,
        recommended_measures="(template)", chapeau=chapeau, **extra,  # type: ignore[arg-type]
    )


SOM_6_1 = ("Each State Party shall adopt such legislative and other measures as may be "
           "necessary to establish as criminal offences, when committed intentionally and in "
           "order to obtain, directly or indirectly, a financial or other material benefit:")
UNTOC_5_1 = ("Each State Party shall adopt such legislative and other measures as may be "
             "necessary to establish as criminal offences, when committed intentionally:")

OBLIGATIONS = {
    ob.id: ob for ob in (
        _ob("untoc.5.1.a", "Criminalization of participation in an organized criminal group",
            "Either or both of the following as criminal offences distinct from those "
            "involving the attempt or completion of the criminal activity:\n(i) Agreeing with "
            "one or more other persons to commit a serious crime for a purpose relating "
            "directly or indirectly to the obtaining of a financial or other material benefit "
            "and, where required by domestic law, involving an act undertaken by one of the "
            "participants in furtherance of the agreement or involving an organized criminal "
            "group;\n(ii) Conduct by a person who, with knowledge of either the aim and general "
            "criminal activity of an organized criminal group or its intention to commit the "
            "crimes in question, takes an active part in:\na. Criminal activities of the "
            "organized criminal group;\nb. Other activities of the organized criminal group in "
            "the knowledge that his or her participation will contribute to the achievement of "
            "the above-described criminal aim;",
            "Make agreeing to commit a serious crime, or taking part in an organized criminal "
            "group, or both, a crime.", "mandatory", "criminalization", chapeau=UNTOC_5_1,
            options=({"id": "conspiracy", "label": "agreement to commit a serious crime "
                      "(art. 5(1)(a)(i))"},
                     {"id": "participation", "label": "participation in an organized criminal "
                      "group (art. 5(1)(a)(ii))"})),
        _ob("untoc.10.1", "Liability of legal persons",
            "Each State Party shall adopt such measures as may be necessary, consistent with "
            "its legal principles, to establish the liability of legal persons for "
            "participation in serious crimes involving an organized criminal group and for the "
            "offences established in accordance with articles 5, 6, 8 and 23 of this "
            "Convention.",
            "Make companies and other legal persons liable for organized crime offences.",
            "mandatory", "criminalization", applies_to_protocol_offences=True),
        _ob("untoc.18.13", "Mutual legal assistance",
            "Each State Party shall designate a central authority that shall have the "
            "responsibility and power to receive requests for mutual legal assistance and "
            "either to execute them or to transmit them to the competent authorities for "
            "execution. Where a State Party has a special region or territory with a separate "
            "system of mutual legal assistance, it may designate a distinct central authority "
            "that shall have the same function for that region or territory. Central "
            "authorities shall ensure the speedy and proper execution or transmission of the "
            "requests received. Where the central authority transmits the request to a "
            "competent authority for execution, it shall encourage the speedy and proper "
            "execution of the request by the competent authority. The Secretary-General of the "
            "United Nations shall be notified of the central authority designated for this "
            "purpose at the time each State Party deposits its instrument of ratification, "
            "acceptance or approval of or accession to this Convention. Requests for mutual "
            "legal assistance and any communication related thereto shall be transmitted to "
            "the central authorities designated by the States Parties. This requirement shall "
            "be without prejudice to the right of a State Party to require that such requests "
            "and communications be addressed to it through diplomatic channels and, in urgent "
            "circumstances, where the States Parties agree, through the International Criminal "
            "Police Organization, if possible.",
            "Designate a central authority for mutual legal assistance and notify the "
            "Secretary-General.", "mandatory", "notification", applies_to_protocol_offences=True,
            notification={"to": "Secretary-General of the United Nations",
                          "what": "the central authority designated for mutual legal "
                                  "assistance",
                          "when": "on deposit of the instrument of ratification, acceptance, "
                                  "approval or accession"}),
        _ob("untoc.31.1", "Prevention",
            "States Parties shall endeavour to develop and evaluate national projects and to "
            "establish and promote best practices and policies aimed at the prevention of "
            "transnational organized crime.",
            "Develop national projects and policies to prevent organized crime.",
            "qualified", "prevention"),
        _ob("untoc.34.2", "Implementation of the Convention",
            "The offences established in accordance with articles 5, 6, 8 and 23 of this "
            "Convention shall be established in the domestic law of each State Party "
            "independently of the transnational nature or the involvement of an organized "
            "criminal group as described in article 3, paragraph 1, of this Convention, except "
            "to the extent that article 5 of this Convention would require the involvement of "
            "an organized criminal group.",
            "Do not require transnationality or an organized criminal group as elements of the "
            "offences.", "mandatory", "criminalization", applies_to_protocol_offences=True),
        _ob("som.6.1.a", "Criminalization", "The smuggling of migrants;",
            "Make the smuggling of migrants for a financial or other material benefit a crime.",
            "mandatory", "criminalization", chapeau=SOM_6_1),
        _ob("som.6.1.b.i", "Criminalization",
            "Producing a fraudulent travel or identity document;",
            "Make producing a fraudulent travel or identity document to enable smuggling a "
            "crime.", "mandatory", "criminalization", chapeau=SOM_6_1),
        _ob("som.6.2.a", "Criminalization",
            "Subject to the basic concepts of its legal system, attempting to commit an offence "
            "established in accordance with paragraph 1 of this article;",
            "Make an attempt to commit a smuggling offence a crime.", "qualified",
            "criminalization",
            chapeau="Each State Party shall also adopt such legislative and other measures as "
                    "may be necessary to establish as criminal offences:"),
        _ob("som.6.3", "Criminalization",
            "Each State Party shall adopt such legislative and other measures as may be "
            "necessary to establish as aggravating circumstances to the offences established in "
            "accordance with paragraph 1 (a), (b) (i) and (c) of this article and, subject to "
            "the basic concepts of its legal system, to the offences established in accordance "
            "with paragraph 2 (b) and (c) of this article, circumstances:\n(a) That endanger, or "
            "are likely to endanger, the lives or safety of the migrants concerned; or\n(b) That "
            "entail inhuman or degrading treatment, including for exploitation, of such "
            "migrants.",
            "Make danger to migrants' lives or safety, and inhuman or degrading treatment, "
            "aggravating circumstances.", "mandatory", "criminalization",
            strength_note="Mandatory for the offences of paragraph 1 (a), (b) (i) and (c); "
                          "subject to the basic concepts of the legal system for those of "
                          "paragraph 2 (b) and (c)."),
        _ob("som.8.1", "Measures against the smuggling of migrants by sea",
            "A State Party that has reasonable grounds to suspect that a vessel that is flying "
            "its flag or claiming its registry, that is without nationality or that, though "
            "flying a foreign flag or refusing to show a flag, is in reality of the nationality "
            "of the State Party concerned is engaged in the smuggling of migrants by sea may "
            "request the assistance of other States Parties in suppressing the use of the "
            "vessel for that purpose. The States Parties so requested shall render such "
            "assistance to the extent possible within their means.",
            "Render assistance, within available means, against vessels smuggling migrants by "
            "sea.", "qualified", "cooperation"),
        _ob("som.8.6", "Measures against the smuggling of migrants by sea",
            "Each State Party shall designate an authority or, where necessary, authorities to "
            "receive and respond to requests for assistance, for confirmation of registry or of "
            "the right of a vessel to fly its flag and for authorization to take appropriate "
            "measures. Such designation shall be notified through the Secretary-General to all "
            "other States Parties within one month of the designation.",
            "Designate an authority for requests about vessels and notify it through the "
            "Secretary-General.", "mandatory", "notification",
            notification={"to": "all other States Parties, through the Secretary-General",
                          "what": "the authority designated under article 8(6)",
                          "when": "within one month of the designation"}),
        _ob("som.16.5", "Protection and assistance measures",
            "In the case of the detention of a person who has been the object of conduct set "
            "forth in article 6 of this Protocol, each State Party shall comply with its "
            "obligations under the Vienna Convention on Consular Relations, where applicable, "
            "including that of informing the person concerned without delay about the "
            "provisions concerning notification to and communication with consular officers.",
            "Inform detained smuggled migrants of their right to consular notification and "
            "communication.", "mandatory", "protection"),
        _ob("som.18.1", "Return of smuggled migrants",
            "Each State Party agrees to facilitate and accept, without undue or unreasonable "
            "delay, the return of a person who has been the object of conduct set forth in "
            "article 6 of this Protocol and who is its national or who has the right of "
            "permanent residence in its territory at the time of return.",
            "Accept the return of smuggled nationals and permanent residents without undue "
            "delay.", "mandatory", "cooperation"),
        _ob("tip.5.1", "Criminalization",
            "Each State Party shall adopt such legislative and other measures as may be "
            "necessary to establish as criminal offences the conduct set forth in article 3 of "
            "this Protocol, when committed intentionally.",
            "Make trafficking in persons, as defined in article 3, a crime.", "mandatory",
            "criminalization"),
        _ob("tip.6.3", "Assistance to and protection of victims of trafficking in persons",
            "Each State Party shall consider implementing measures to provide for the physical, "
            "psychological and social recovery of victims of trafficking in persons, including, "
            "in appropriate cases, in cooperation with non-governmental organizations, other "
            "relevant organizations and other elements of civil society, and, in particular, "
            "the provision of:\n(a) Appropriate housing;\n(b) Counselling and information, in "
            "particular as regards their legal rights, in a language that the victims of "
            "trafficking in persons can understand;\n(c) Medical, psychological and material "
            "assistance; and\n(d) Employment, educational and training opportunities.",
            "Consider measures for the recovery of victims: housing, counselling, medical help "
            "and employment.", "consider", "protection"),
        _ob("tip.6.5", "Assistance to and protection of victims of trafficking in persons",
            "Each State Party shall endeavour to provide for the physical safety of victims of "
            "trafficking in persons while they are within its territory.",
            "Endeavour to keep victims physically safe.", "qualified", "protection"),
        _ob("tip.6.6", "Assistance to and protection of victims of trafficking in persons",
            "Each State Party shall ensure that its domestic legal system contains measures "
            "that offer victims of trafficking in persons the possibility of obtaining "
            "compensation for damage suffered.",
            "Give victims a way to obtain compensation.", "mandatory", "protection"),
    )
}


def _long_note() -> str:
    paragraph = ("The draft Organized Crime (Liability of Legal Persons) Bill was read a first "
                 "time in Parliament; the committee report records the Ministry's view that "
                 "administrative fines are available but criminal liability is not, and that "
                 "the fines are capped at a level the committee found too low to dissuade. ")
    text = ""
    n = 1
    while len(text) < 20_000:
        text += f"{n}. {paragraph}{paragraph}\n"
        n += 1
    return text[:20_000]


LONG_NOTE = _long_note()


def _a(qid: str, question: str, answer: str | None, value: object = None, *,
       section: str = "", citations: tuple[str, ...] = (), note: str | None = None) -> AnswerView:
    if value is None and answer is not None:
        value = answer.lower()
    return AnswerView(question_id=qid, question=question, section=section,
                      answer=answer or "", value=value, citations=citations, note=note)


ANSWERS = {
    a.question_id: a for a in (
        _a("untoc.participation_offence",
           "Which offence does domestic law establish under article 5(1)(a)?",
           "Agreement to commit a serious crime (conspiracy)", "conspiracy",
           section="Criminalization", citations=("Penal Code 1998, s. 112 (conspiracy)",)),
        _a("untoc.legal_persons", "Can legal persons be held liable for organized crime "
           "offences?", "Partly", section="Criminalization",
           citations=("Administrative Offences Act 2004, s. 9",), note=LONG_NOTE),
        _a("untoc.central_authority", "Has a central authority for mutual legal assistance "
           "been designated and notified?", None, section="International cooperation"),
        _a("untoc.prevention_projects", "Are there national projects to prevent organized "
           "crime?", "Yes", section="Prevention",
           citations=("National Strategy against Organized Crime 2021-2025",)),
        _a("untoc.requires_transnationality", "Does any offence require proof that the "
           "conduct was transnational or involved an organized criminal group?", "Yes",
           section="Criminalization", citations=(ARABIC_CITATION, "Penal Code 1998, s. 300"),
           note=ARABIC_NOTE),
        _a("som.smuggling_offence", "Does domestic law make it a criminal offence to procure "
           "the illegal entry of a person into the State for a financial or other material "
           "benefit?", "Partly", section="Criminalization",
           citations=("Immigration Act 2010, s. 41 & s. 42", CHINESE_CITATION),
           note=CHINESE_NOTE + " Offence covers entry only; " + SCRIPT),
        _a("som.document_offences", "Is producing a fraudulent travel or identity document an "
           "offence?", "Yes", section="Criminalization",
           citations=("Passports Act 2001, s. 14\x0b(1)",), note=CONTROL),
        _a("som.attempt", "Is an attempt to commit the smuggling offence punishable?", "No",
           section="Criminalization"),
        _a("som.aggravation_danger", "Do sentencing rules treat danger to migrants' lives or "
           "safety as aggravating?", None, section="Criminalization"),
        _a("som.sea_border", "Does the State have a sea coast or register vessels?", "No",
           section="Smuggling by sea"),
        _a("som.sea_authority", "Has an authority been designated under article 8(6) and "
           "notified?", "No", section="Smuggling by sea"),
        _a("som.consular_information", "Are detained migrants informed without delay of "
           "their consular rights?", "Yes", section="Protection and assistance",
           citations=("Criminal Procedure Code, art. 77",)),
        _a("som.return_nationals", "Does the State accept the return of its smuggled "
           "nationals and permanent residents without undue delay?", "Yes",
           section="Return", citations=("Readmission Regulation 2015",)),
        _a("tip.trafficking_offence", "Does domestic law make trafficking in persons, as "
           "defined in article 3, a criminal offence?", "No", section="Criminalization"),
        _a("tip.recovery_measures", "Which recovery measures does the law provide to victims?",
           "Appropriate housing; Medical assistance", ["housing", "medical"],
           section="Protection of victims"),
        _a("tip.physical_safety", "Are there measures to protect victims' physical safety?",
           "Yes", section="Protection of victims"),
        _a("tip.compensation", "Can victims obtain compensation for damage suffered?", None,
           section="Protection of victims"),
    )
}


def _r(ob_id: str, status: Status, findings: tuple[str, ...], answers: tuple[str, ...],
       measures: tuple[str, ...] = (), *, option: str | None = None,
       binding: bool = True) -> ObligationResult:
    ob = OBLIGATIONS[ob_id]
    return ObligationResult(
        obligation=ob, status=status, findings=findings, required_measures=measures,
        priority=priority_of(ob) if status.is_gap else None,
        option=option, answers=tuple(ANSWERS[a] for a in answers), binding=binding,
    )


def results() -> tuple[ObligationResult, ...]:
    S = Status
    return (
        _r("untoc.5.1.a", S.MET, (f"{STATE} criminalizes agreement to commit a serious crime.",),
           ("untoc.participation_offence",), option="conspiracy"),
        _r("untoc.10.1", S.PARTIALLY_MET,
           ("Legal persons face administrative fines only, capped at a low level.",),
           ("untoc.legal_persons",),
           ("Provide for the liability of legal persons, criminal, civil or administrative, "
            "for participation in serious crimes involving an organized criminal group.",
            "Raise the fines so that sanctions are effective, proportionate and dissuasive:\n"
            "- set fines by reference to the benefit obtained\n- allow debarment from public "
            "contracts")),
        _r("untoc.18.13", S.NOT_ASSESSED,
           ("Not assessed: answer untoc.central_authority.",), ("untoc.central_authority",),
           ("Confirm whether a central authority has been designated and notified to the "
            "Secretary-General.",)),
        _r("untoc.31.1", S.MET, ("A national strategy covers the prevention of organized "
                                 "crime.",), ("untoc.prevention_projects",)),
        _r("untoc.34.2", S.NOT_MET,
           ("Section 300 of the Penal Code requires proof of a transnational element.",),
           ("untoc.requires_transnationality",),
           ("Remove transnationality and the involvement of an organized criminal group as "
            "elements of the offences.",)),
        _r("som.6.1.a", S.PARTIALLY_MET,
           ("The offence covers procuring illegal entry but not for a financial or other "
            "material benefit only; it also reaches humanitarian assistance.",),
           ("som.smuggling_offence",),
           ("Amend section 41 of the Immigration Act 2010 so that the offence requires the "
            "purpose of obtaining a financial or other material benefit.",)),
        _r("som.6.1.b.i", S.MET, ("Producing a fraudulent travel document is an offence.",),
           ("som.document_offences",)),
        _r("som.6.2.a", S.NOT_MET, ("An attempt to smuggle migrants is not punishable.",),
           ("som.attempt",),
           ("Subject to the basic concepts of the legal system, make an attempt to commit the "
            "offences of article 6(1) punishable.",)),
        _r("som.6.3", S.NOT_ASSESSED, ("Not assessed: answer som.aggravation_danger.",),
           ("som.aggravation_danger",), ("Answer the question on aggravating circumstances.",)),
        _r("som.8.1", S.NOT_APPLICABLE,
           (f"{STATE} has no sea coast and registers no vessels.",), ("som.sea_border",)),
        _r("som.8.6", S.NOT_MET, ("No authority has been designated under article 8(6).",),
           ("som.sea_authority",),
           ("Designate an authority under article 8(6) and notify it through the "
            "Secretary-General within one month.",)),
        _r("som.16.5", S.MET, ("Detained migrants are informed of their consular rights.",),
           ("som.consular_information",)),
        _r("som.18.1", S.MET, ("The Readmission Regulation provides for return.",),
           ("som.return_nationals",)),
        _r("tip.5.1", S.NOT_MET, ("There is no offence of trafficking in persons.",),
           ("tip.trafficking_offence",),
           ("Establish the offence of trafficking in persons with the three elements of "
            "article 3 (act, means and purpose of exploitation).",), binding=False),
        _r("tip.6.3", S.PARTIALLY_MET,
           ("Housing and medical assistance are provided; counselling and employment "
            "opportunities are not.",), ("tip.recovery_measures",),
           ("Consider providing counselling and information in a language victims "
            "understand, and employment, educational and training opportunities.",),
           binding=False),
        _r("tip.6.5", S.MET, ("Victims may be placed in protected shelters.",),
           ("tip.physical_safety",), binding=False),
        _r("tip.6.6", S.NOT_ASSESSED, ("Not assessed: answer tip.compensation.",),
           ("tip.compensation",), ("Answer the question on compensation.",), binding=False),
    )


def analysis(**changes: object) -> GapAnalysis:
    """The fixture's GapAnalysis; keyword arguments replace its fields."""
    base = GapAnalysis(
        state=STATE,
        instruments=("som", "tip", "untoc"),
        party_status={"untoc": "party", "som": "party", "tip": "not_party"},
        assessor="Ministry of Justice, Legislative Drafting Unit",
        started="2025-01-15",
        updated="2025-03-02",
        catalog_version="1.2.0",
        answers_catalog_version="1.2.0",
        results=results(),
        answers=tuple(ANSWERS.values()),
        source="veridia.yaml",
        catalog_instruments=tuple(load_catalog().declared.values()),
    )
    return base._replace(**changes)


# ---------------------------------------------------------------------------------------------
# A large analysis for the speed test: every numbered paragraph of the Convention and the
# Smuggling of Migrants Protocol, quoted verbatim from obligations/sources/. Strength comes
# from the paragraph's words and category from the article title, roughly: this analysis only
# measures speed and is not legal content.

SOURCES = Path(__file__).resolve().parents[1] / "obligations" / "sources"


def _paragraphs(instrument: str, filename: str) -> list[tuple[str, int, int, str, str]]:
    import re

    found = []
    article, title, expect_title = 0, "", False
    for line in (SOURCES / filename).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        match = re.fullmatch(r"Article (\d+)", line)
        if match:
            article, expect_title = int(match.group(1)), True
            continue
        if expect_title:
            title, expect_title = line, False
            continue
        match = re.match(r"(\d+)\. (.+)", line)
        if article and match:
            found.append((instrument, article, int(match.group(1)), title, match.group(2)))
    return found


def _strength(text: str) -> str:
    lowered = text.lower()
    if "shall consider" in lowered:
        return "consider"
    if "shall endeavour" in lowered or "to the extent possible" in lowered:
        return "qualified"
    if "shall" in lowered:
        return "mandatory"
    return "optional"


def _category(title: str) -> str:
    lowered = title.lower()
    for word, category in (("criminal", "criminalization"), ("prevent", "prevention"),
                           ("protection", "protection"), ("assistance to", "protection")):
        if word in lowered:
            return category
    return "cooperation"


def large_analysis(size: int = 150) -> GapAnalysis:
    rows = (_paragraphs("untoc", "untoc.txt")
            + _paragraphs("som", "smuggling-protocol.txt"))[:size]
    statuses = list(Status)
    made = []
    answer = ANSWERS["som.smuggling_offence"]
    for n, (instrument, article, paragraph, title, text) in enumerate(rows):
        strength = _strength(text)
        category = _category(title)
        ob = Obligation(
            id=f"{instrument}.{article}.{paragraph}", instrument=instrument, article=article,
            paragraph=paragraph, subparagraph=None, article_title=title, text=text,
            summary=f"Give effect to {instrument.upper()} article {article}({paragraph}).",
            strength=strength, category=category, recommended_measures="(template)")
        status = statuses[n % len(statuses)]
        made.append(ObligationResult(
            obligation=ob, status=status, findings=(f"Finding number {n}.",),
            required_measures=("Amend the law.",) if status.is_gap else (),
            priority=priority_of(ob) if status.is_gap else None,
            option=None, answers=(answer,), binding=True))
    return analysis(instruments=("untoc", "som"), results=tuple(made), answers=(answer,))
