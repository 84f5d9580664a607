"""Fill msgstr values of a .po file from a Python dict file: `python scripts/fill_translations.py PO DICT.py`.

A small tool for translators working without a .po editor; it never touches entries it has no
translation for, and it clears the fuzzy flag of the ones it fills.
"""

import ast
import sys

import polib


def main(po_path: str, dict_path: str) -> None:
    with open(dict_path, encoding="utf-8") as handle:
        translations = ast.literal_eval(handle.read())
    po = polib.pofile(po_path)
    missing = []
    for entry in po:
        if entry.msgid in translations:
            value = translations[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = dict(enumerate(value))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not (entry.msgstr or any(entry.msgstr_plural.values())):
            missing.append(entry.msgid)
    po.metadata["Plural-Forms"] = (
        "nplurals=4; plural=(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? 1 : n!=1 && "
        "(n%10>=0 && n%10<=1) || (n%10>=5 && n%10<=9) || (n%100>=12 && n%100<=14) ? 2 : 3);"
    )
    po.metadata["Language"] = "pl"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    for msgid in missing:
        print(f"untranslated: {msgid!r}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
