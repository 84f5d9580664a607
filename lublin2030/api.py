"""The public, read-only open-data API: /api/v1/, schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

from implementation.api import router as implementation_router
from implementation.consultation_api import router as consultation_router
from participation.api import router as participation_router

api = NinjaAPI(
    title="Lublin 2030 open data",
    version="1.0.0",
    description="Published, anonymous data of the Lublin 2030 participatory strategy process.",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
api.add_router("/", participation_router)
api.add_router("/", implementation_router)
api.add_router("/", consultation_router)
