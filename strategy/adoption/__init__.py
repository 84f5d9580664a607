"""Adoption (stage VIII): the final draft after the consultation goes to the voivodeship board for its
opinion, the mayor submits it to the city council, and the council adopts it by a resolution.

The steps are recorded on a frozen, public version in the state "after consultation"; recording the
resolution makes it "adopted" (the first time) or "amended" (every later change of the strategy, each with
its own resolution). Its models live in `models.py` here and are loaded by `strategy.models`.
"""
