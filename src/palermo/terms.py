"""The defined terms of the four instruments that an answer can narrow.

An obligation lists the defined terms its elements use (`terms:` in the catalog); a question
whose answer can show that domestic law defines one of them more narrowly than the treaty says
so (`narrows:` in the questionnaire). The engine then carries that defect to every obligation
that uses the term, not only to those the question names.
"""

from __future__ import annotations

# term id -> how a report names it, with the treaty provision that defines it
TERMS: dict[str, str] = {
    "organized_criminal_group": "“organized criminal group” (UNTOC art. 2(a))",
    "serious_crime": "“serious crime” (UNTOC art. 2(b))",
    "structured_group": "“structured group” (UNTOC art. 2(c))",
    "property": "“property” (UNTOC art. 2(d))",
    "proceeds_of_crime": "“proceeds of crime” (UNTOC art. 2(e))",
    "confiscation": "“confiscation” (UNTOC art. 2(g))",
    "predicate_offence": "“predicate offence” (UNTOC art. 2(h))",
    "public_official": "“public official” (UNTOC art. 8(4))",
    "trafficking_in_persons": "“trafficking in persons” (TIP art. 3(a))",
    "exploitation": "“exploitation” (TIP art. 3(a))",
    "child": "“child” (TIP art. 3(d))",
    "smuggling_of_migrants": "“smuggling of migrants” (SOM art. 3(a))",
    "illegal_entry": "“illegal entry” (SOM art. 3(b))",
    "fraudulent_document": "“fraudulent travel or identity document” (SOM art. 3(c))",
    "vessel": "“vessel” (SOM art. 3(d))",
    "firearm": "“firearm” (Firearms art. 3(a))",
    "parts_and_components": "“parts and components” (Firearms art. 3(b))",
    "ammunition": "“ammunition” (Firearms art. 3(c))",
}
