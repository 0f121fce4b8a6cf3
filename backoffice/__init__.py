"""The staff back office: the scoped admin site, every ModelAdmin, and the hotel pages.

The hotel manager's pages in the admin (rates calendar, front desk, housekeeping,
dashboard and audit) are server-rendered, and each works without JavaScript. Every
page is for one hotel and checks the user's right in that hotel (hotels.scoping);
every write calls one service and shows its refusal as a readable message.
"""
