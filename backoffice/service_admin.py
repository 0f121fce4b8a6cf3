"""ModelAdmins that write through services, and what a service's refusal looks like.

Services own their (durable) transactions, so these pages run outside the admin's
request-wide atomic block. A form checks what it can before anything is written
(the services export their checks for that); a refusal that only the service can
see, under its lock (Busy, a race with another clerk), is a `DomainError` raised from
save_model, save_formset or delete_model. It becomes an error message and stops the
save there: no related save, no log entry, no "changed successfully".
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from core.errors import DomainError

_REFUSAL = "_innkeep_service_refusal"
_DELETIONS = "_innkeep_deletions_to_log"


def refusal(request) -> DomainError | None:
    """Return the refusal a service gave this request, if any."""
    return getattr(request, _REFUSAL, None)


class ServiceWritesAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions call services.

    Subclasses implement `save_with_services(request, obj, form, change)` (and, for
    inlines, `save_formset_with_services`, `delete_with_services`); each may raise
    DomainError.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        # The bulk delete action reports success for every object it was given; a
        # deletion here goes through a service that may refuse one.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def _refused(self, request, error: DomainError) -> None:
        setattr(request, _REFUSAL, error)

    # Writes ------------------------------------------------------------------------

    def save_with_services(self, request, obj, form, change) -> None:
        obj.save()

    def save_formset_with_services(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)

    def delete_with_services(self, request, obj) -> None:
        obj.delete()

    def save_model(self, request, obj, form, change):
        try:
            self.save_with_services(request, obj, form, change)
        except DomainError as error:
            self._refused(request, error)

    def save_related(self, request, form, formsets, change):
        if refusal(request) is None:
            super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        # What formset.save() would record, for the change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = (
            [],
            [],
            [],
        )
        if refusal(request) is not None:
            return
        try:
            self.save_formset_with_services(request, form, formset, change)
        except DomainError as error:
            self._refused(request, error)

    def delete_model(self, request, obj):
        try:
            self.delete_with_services(request, obj)
        except DomainError as error:
            self._refused(request, error)
            return
        super().log_deletions(request, getattr(request, _DELETIONS, [obj]))

    # The record of what happened ----------------------------------------------------

    def log_addition(self, request, obj, message):
        if refusal(request) is None:
            return super().log_addition(request, obj, message)
        return None

    def log_change(self, request, obj, message):
        if refusal(request) is None:
            return super().log_change(request, obj, message)
        return None

    def log_deletions(self, request, queryset):
        # The delete view logs before it deletes; the log waits for the service.
        setattr(request, _DELETIONS, list(queryset))
        return []

    # Answers -----------------------------------------------------------------------

    def _refusal_response(self, request, error: DomainError, url: str):
        self.message_user(request, error.message, messages.ERROR)
        return HttpResponseRedirect(url)

    def response_add(self, request, obj, post_url_continue=None):
        error = refusal(request)
        if error is not None:
            return self._refusal_response(request, error, request.get_full_path())
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        error = refusal(request)
        if error is not None:
            return self._refusal_response(request, error, request.get_full_path())
        return super().response_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        error = refusal(request)
        if error is not None:
            url = request.get_full_path().rsplit("/delete/", 1)[0] + "/change/"
            return self._refusal_response(request, error, url)
        return super().response_delete(request, obj_display, obj_id)
