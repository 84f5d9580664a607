"""The public read-only open-data API of participation (mounted under /api/v1/)."""

from ninja import Router

router = Router(tags=["participation"])
