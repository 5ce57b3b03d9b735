"""Who may do what: the roles of the district server, defined once. Every staff route names
the permission it needs (`StaffMember.require`); hall scoping follows from the role
(`StaffMember.may_see_hall`); kiosks are confined to their own data in kiosks/service.py."""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    #: A kiosk (signed requests): its own submissions and cases, blobs it uploaded, citizen
    #: reads under a fresh assertion. Not a staff role; listed so the model is complete.
    kiosk = "kiosk"
    #: Cases and parcels of their hall, its queue and staff calls.
    clerk = "clerk"
    #: What a clerk does, plus their hall's staff, bad reviews and figures.
    supervisor = "supervisor"
    #: Kiosk maintenance in their hall (fleet, revoking a kiosk): never case contents.
    technician = "technician"
    #: The whole district: fleet, catalogue, all halls, all staff.
    administrator = "administrator"


class Permission(StrEnum):
    cases = "cases"                  # list, read (decrypted), move, parcels
    queue = "queue"                  # call the next ticket, staff calls
    reviews = "reviews"              # bad reviews (差评) and figures
    staff = "staff"                  # see and revoke staff accounts
    fleet = "fleet"                  # kiosks: state, alarms, revocation
    alerts = "alerts"                # see and acknowledge the alerts of the hall's kiosks
    commands = "commands"            # send remote commands to the hall's kiosks
    rota = "rota"                    # keep the hall's on-call rota (alerts reads it)


STAFF_ROLES = (Role.clerk, Role.supervisor, Role.technician, Role.administrator)

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.clerk: frozenset({Permission.cases, Permission.queue, Permission.alerts}),
    Role.supervisor: frozenset({Permission.cases, Permission.queue, Permission.reviews,
                                Permission.staff, Permission.alerts, Permission.commands,
                                Permission.rota}),
    Role.technician: frozenset({Permission.fleet, Permission.alerts}),
    Role.administrator: frozenset(Permission),
}

#: Roles whose scope is the whole district rather than their own hall.
ALL_HALLS = frozenset({Role.administrator})
