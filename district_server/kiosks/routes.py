from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Response
from sqlalchemy import select

from district_server.cases.models import Parcel
from district_server.catalogue import rollout
from district_server.catalogue.models import CatalogueVersion
from district_server.context import ServerContext, get_context
from district_server.errors import ProblemError, problem_responses
from district_server.kiosk_config import service as kiosk_config
from district_server.kiosks import service
from district_server.kiosks.auth import Principal
from district_server.submissions import service as submissions
from wire import v1

router = APIRouter(tags=["kiosks"])
KioskIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{2,39}$")]


@router.post("/v1/enroll", response_model=v1.EnrollResponse,
             response_model_exclude_none=True, responses=problem_responses(401, 403, 422))
def enroll(body: v1.EnrollRequest,
           features: Annotated[str, Header(alias=v1.HEADER_FEATURES)] = "",
           ctx: ServerContext = Depends(get_context)) -> v1.EnrollResponse:
    """Spend a one-time token from `district-server enroll-token` and register the kiosk key."""
    with ctx.db.transaction() as session:
        enrolled = service.enroll(session, body, now=ctx.now(), keys=ctx.keys)
        if v1.FEATURE_LAST_KIOSK_SEQ not in v1.features(features):
            return enrolled
        return enrolled.model_copy(update={
            "last_kiosk_seq": submissions.highest_seq(session, body.kiosk_id)})


def _locker_assignments(session, kiosk_id: str, *, by_size: bool) -> list[v1.LockerAssignment]:
    """Parcels waiting to be put in this kiosk's lockers. Only a kiosk that fills by size
    (v1.FEATURE_LOCKER_FILL) gets the ones assigned by size."""
    parcels = session.scalars(select(Parcel).where(Parcel.kiosk_id == kiosk_id,
                                                   Parcel.state == "assigned")
                              .order_by(Parcel.parcel_id))
    return [v1.LockerAssignment(parcel_id=p.parcel_id, locker=p.locker,
                                compartment=p.compartment, size=p.size,
                                case_number=p.case_number,
                                holder_hmac=p.holder_hmac, code_hash=p.code_hash,
                                expires_at=p.expires_at, items=json.loads(p.items_json))
            for p in parcels if by_size or p.compartment is not None]


@router.get("/v1/kiosks/{kiosk_id}/desired-state", response_model=v1.SignedDesiredState,
            response_model_exclude_none=True, responses={304: {"description": "unchanged since If-None-Match"},
                       **problem_responses(401, 403, 503)})
def desired_state(kiosk_id: KioskIdPath, principal: Principal, response: Response,
                  if_none_match: Annotated[str | None, Header()] = None,
                  features: Annotated[str, Header(alias=v1.HEADER_FEATURES)] = "",
                  ctx: ServerContext = Depends(get_context)):
    service.require_own(principal, kiosk_id)
    asked = v1.features(features)
    with ctx.db.transaction() as session:
        default_cohort = ctx.settings.default_cohort
        catalogue_version, needs_app = rollout.version_for(session, kiosk_id, principal.cohort,
                                                           default_cohort)
        if catalogue_version is None:
            raise ProblemError(503, "no_catalogue", "no catalogue is published")
        published = session.get(CatalogueVersion, catalogue_version)
        config_number, config_needs_app = rollout.version_for(
            session, kiosk_id, principal.cohort, default_cohort, rollout.CONFIG)
        number = int(config_number) if config_number is not None else None
        # the bundle itself is the app: its rollout asks no app version of the kiosk
        bundle_version = rollout.version_for(session, kiosk_id, principal.cohort,
                                             default_cohort, rollout.BUNDLE)[0] \
            if v1.FEATURE_BUNDLE_UPDATES in asked else None
        signed = service.desired_state(
            session, kiosk_id, catalogue_version=published.version,
            catalogue_sha256=published.sha256,
            locker_assignments=_locker_assignments(
                session, kiosk_id, by_size=v1.FEATURE_LOCKER_FILL in asked),
            config=kiosk_config.content(session, number),
            config_number=number if v1.FEATURE_CONFIG_NUMBER in asked else None,
            bundle_version=bundle_version,
            min_app_version=max(ctx.settings.min_app_version, needs_app or "0",
                                config_needs_app or "0", key=v1.app_version_key),
            keys=ctx.keys, with_staff=v1.FEATURE_KIOSK_STAFF in asked,
            with_next_receipt_key=v1.FEATURE_RECEIPT_KEY_ROTATION in asked,
            with_pins=v1.FEATURE_KIOSK_PIN in asked,
            with_cards=v1.FEATURE_STAFF_CARD in asked,
            halls=ctx.settings.halls if v1.FEATURE_ALTERNATIVES in asked else None)
    etag = f'"{signed.state.version}"'
    if if_none_match is not None and etag in [t.strip() for t in if_none_match.split(",")]:
        return Response(status_code=304, headers={"ETag": etag})
    response.headers["ETag"] = etag
    return signed


@router.patch("/v1/kiosks/{kiosk_id}/state", response_model=v1.KioskStateView,
              responses=problem_responses(401, 403, 422))
def report_state(kiosk_id: KioskIdPath, delta: v1.ReportedState, principal: Principal,
                 ctx: ServerContext = Depends(get_context)) -> v1.KioskStateView:
    service.require_own(principal, kiosk_id)
    with ctx.db.transaction() as session:
        return service.merge_reported(session, kiosk_id, delta, now=ctx.now(),
                                      thresholds=ctx.settings.alerts)
