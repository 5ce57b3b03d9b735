"""Parsers of outside bytes on the district server: the wire bodies kiosks send (envelope,
decrypted payloads, citizen requests, reported state) and catalogue files."""
from __future__ import annotations

import yaml
from pydantic import ValidationError

from district_server.catalogue.service import CatalogueInvalid, validate
from district_server.cases.forms import valid_resident_id, valid_uscc
from wire import v1


def parse_catalogue_yaml(data: bytes) -> object:
    try:
        loaded = yaml.safe_load(data)
    except yaml.YAMLError as error:
        raise CatalogueInvalid(str(error)) from None
    return validate(loaded)


def check_identifiers(data: bytes) -> object:
    text = data.decode("utf-8", "replace")
    return valid_resident_id(text), valid_uscc(text)


TARGETS = {
    "wire_submission_envelope": (v1.SubmissionEnvelope.model_validate_json, (ValidationError,)),
    "wire_application_payload": (v1.ApplicationPayload.model_validate_json, (ValidationError,)),
    "wire_citizen_request": (v1.TicketRequest.model_validate_json, (ValidationError,)),
    "wire_reported_state": (v1.ReportedState.model_validate_json, (ValidationError,)),
    "district_catalogue_yaml": (parse_catalogue_yaml, (CatalogueInvalid,)),
    "district_identifiers": (check_identifiers, ()),
}
