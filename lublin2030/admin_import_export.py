"""The one way to offer import and export in the Django admin (django-import-export).

`ImportExportAdmin` is a ModelAdmin with the import and export pages, rights from `RoleAdmin`
(`has_import_permission`, `has_export_permission`), CSV and XLSX only, and an import that is
all or nothing: the preview is a dry run in a rolled-back transaction with every row's errors,
the confirmation is offered only when no row has an error, and the confirmed import rolls back
whole if a row fails then (the data changed in between). Each app describes its rows in its
`resources.py`; a resource that must respect a service's rules saves through that service.

The opinion import is not done this way: see participation/imports.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from .admin_permissions import RoleAdmin


class ImportExportAdmin(RoleAdmin, ImportExportModelAdmin):
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]

    def get_export_queryset(self, request):
        """The export carries the change list's filters; a filter the list does not know is a bad
        request (the change list itself redirects with ?e=1), not a server error."""
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest(str(error)) from error

    def get_import_data_kwargs(self, **kwargs):
        data = super().get_import_data_kwargs(**kwargs)
        data.setdefault("rollback_on_validation_errors", True)
        return data
