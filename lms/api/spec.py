"""Operations declared once: the route, its scope and its pydantic shapes. The same declaration parses and checks
each request, serialises each answer, and writes the OpenAPI 3.1 document (JSON Schema 2020-12 from pydantic)."""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from functools import wraps

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from lms.api.schemas import Problem
from lms.domain.errors import DomainError
from lms.domain.transcript import CODE_PATTERN
from lms.errors import render_error
from lms.pagination import DB_INT_MAX

MAX_BODY = 512 * 1024  # bytes; 500 roster rows fit in well under this
ERROR_STATUSES = {400: "The request is malformed (a control character in a parameter, a broken encoding).",
                  401: "The token is missing, unknown, revoked or expired.",
                  403: "The token lacks the scope this operation needs.",
                  404: "No such resource.", 413: "The request body is too large.",
                  422: "A parameter or field is invalid; `errors` lists each one.",
                  429: "Too many calls with this token; wait for Retry-After seconds."}


DESCRIPTION = """Training records of the course for the systems around it (cadre records, reports).

Every operation but the entry point, this document and the reference page needs a personal API token made by an
administrator (Authorization: Bearer lms_...), with the scope the operation names: `read` for every read,
`enrol` for enrolling learners and setting extensions. A browser session does not authorize anything here.
Calls are limited per token (429 with Retry-After) and logged in the audit log. Lists are paged (`page`,
`per_page`, `links`); `updated_since` keeps the rows changed since a moment; reads carry an ETag (send it in
If-None-Match for a 304). Errors are RFC 9457 problem details in Vietnamese or English by Accept-Language."""


class Invalid(DomainError):
    """A request the API refuses, with every field at fault (`field_errors`)."""

    status, default_code = 422, "invalid_request"


@dataclass(frozen=True)
class Operation:
    """One API operation: what the document says and the handler checks."""

    endpoint: str
    method: str
    rule: str
    summary: str
    description: str
    tag: str
    scope: str | None  # None: public, no token
    response: type[BaseModel]
    status: int = 200
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    errors: tuple[int, ...] = field(default=())


MESSAGES = {"missing": lambda: _("thiếu trường bắt buộc"), "extra_forbidden": lambda: _("trường không được nhận"),
            "string_too_long": lambda: _("quá dài"), "string_too_short": lambda: _("không được để trống"),
            "too_long": lambda: _("quá nhiều phần tử"), "too_short": lambda: _("cần ít nhất một phần tử")}


def field_errors(error: ValidationError, root: str) -> list[dict]:
    """Pydantic's errors as the problem document's `errors`: a JSON pointer, a code and a translated message."""
    return [{"pointer": "/".join([root, *(str(part) for part in e["loc"])]), "code": e["type"],
             "message": MESSAGES.get(e["type"], lambda: _("giá trị không hợp lệ"))()} for e in error.errors()]


def _parse(model: type[BaseModel], data: object, root: str) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise Invalid(field_errors=field_errors(error, root)) from None


def _body() -> object:
    if (request.content_length or 0) > MAX_BODY:
        raise DomainError("body_too_large", status=413)
    data = request.get_json(silent=True)
    if data is None:
        raise Invalid(field_errors=[{"pointer": "#", "code": "json_required",
                                     "message": _("cần một đối tượng JSON (Content-Type: application/json)")}])
    return data


class ApiBlueprint(Blueprint):
    """A blueprint whose operations are declared with their shapes and collected for the document."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.operations: list[Operation] = []

    def operation(self, rule: str, method: str = "GET", *, summary: str, response: type[BaseModel], tag: str,
                  scope: str | None = "read", status: int = 200, query: type[BaseModel] | None = None,
                  body: type[BaseModel] | None = None, description: str = ""):
        """Register a view taking `query`/`body` models and returning a `response` model."""

        def decorator(view):
            @wraps(view)
            def wrapped(**path):
                try:
                    if query is not None:
                        path["query"] = _parse(query, request.args.to_dict(), "#/query")
                    if body is not None:
                        path["body"] = _parse(body, _body(), "#")
                except DomainError as refused:  # answered here, so the call's count and log line are kept
                    return render_error(refused.status, None, refused.code, refused.params.get("field_errors"))
                result = view(**path)
                if not isinstance(result, BaseModel):
                    return result
                answer = jsonify(result.model_dump(mode="json"))
                answer.status_code = status
                return answer

            # Every call with a token is counted and logged, even a refused one: such views write on GET and keep
            # that work when they answer an error.
            wrapped.writes_on_get = wrapped.keeps_work_on_error = scope is not None
            wrapped.api_scope = scope
            self.add_url_rule(rule, view.__name__, wrapped, methods=[method])
            errors = tuple(sorted(({400, 401, 403, 429} if scope else {400}) | ({404} if "<" in rule else set())
                                  | ({422} if query or body else set()) | ({413} if body else set())))
            self.operations.append(Operation(f"{self.name}.{view.__name__}", method, (self.url_prefix or "") + rule,
                                             summary, description or (view.__doc__ or ""), tag, scope, response,
                                             status, query, body, errors))
            return wrapped

        return decorator


STRING_PARAMETERS = {"code": {"type": "string", "pattern": f"^{CODE_PATTERN.pattern}$"}}  # a document's code


def _path_and_parameters(rule: str) -> tuple[str, list[dict]]:
    parameters = []
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        schema = {"type": "integer", "minimum": 0, "maximum": DB_INT_MAX} if converter == "int" else \
            STRING_PARAMETERS[name]
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule), parameters


def _plain(schema: dict) -> dict:
    """A query parameter's schema without the null branch pydantic adds to an optional field."""
    branches = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    plain = {**branches[0], **{k: v for k, v in schema.items() if k in ("description", "default")}} \
        if branches else dict(schema)
    plain.pop("title", None)
    if plain.get("default", 0) is None:
        del plain["default"]
    return plain


def _query_parameters(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema()
    return [{"name": name, "in": "query", "required": name in schema.get("required", []),
             "description": prop.get("description", ""), "schema": _plain(prop)}
            for name, prop in schema["properties"].items()]


def _responses(op: Operation, ref) -> dict:
    problem = {"content": {"application/problem+json": {"schema": ref(Problem)}}}
    responses = {str(op.status): {"description": op.response.__doc__.strip(),
                                  "content": {"application/json": {"schema": ref(op.response)}}}}
    if op.method == "GET" and op.scope:
        responses[str(op.status)]["headers"] = {
            "ETag": {"required": True, "description": "Send it back in If-None-Match.", "schema": {"type": "string"}},
            "Link": {"description": "Lists only: the first, last, next and previous pages (RFC 8288).",
                     "schema": {"type": "string"}}}
        responses["304"] = {"description": "Not modified: the ETag sent in If-None-Match still matches."}
    for code in op.errors:
        responses[str(code)] = {"description": ERROR_STATUSES[code], **problem}
    return responses


def _operation(op: Operation, ref) -> dict:
    path, parameters = _path_and_parameters(op.rule)
    document = {"operationId": op.endpoint.replace(".", "_"), "summary": op.summary, "tags": [op.tag],
                "description": inspect.cleandoc(op.description),
                "parameters": parameters + (_query_parameters(op.query) if op.query else []),
                "responses": _responses(op, ref),
                "security": [{"bearer": []}] if op.scope else []}
    if op.scope:
        document["x-scope"] = op.scope
        document["description"] += f"\n\nScope: `{op.scope}`."
    if op.body is not None:
        document["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(op.body)}}}
    return document


def openapi_document(operations: list[Operation], title: str, version: str) -> dict:
    """The OpenAPI 3.1 document of these operations."""
    models = {Problem} | {op.response for op in operations} | {op.body for op in operations if op.body}
    mode = {m: "validation" if any(op.body is m for op in operations) else "serialization" for m in models}
    keys, top = models_json_schema([(m, mode[m]) for m in sorted(models, key=lambda m: m.__name__)],
                                   ref_template="#/components/schemas/{model}")

    def ref(model):
        return keys[(model, mode[model])]

    paths: dict[str, dict] = {}
    for op in sorted(operations, key=lambda op: (op.rule, op.method)):
        path, _parameters = _path_and_parameters(op.rule)
        paths.setdefault(path, {})[op.method.lower()] = _operation(op, ref)
    return {"openapi": "3.1.0",
            "info": {"title": title, "version": version, "description": DESCRIPTION},
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "paths": paths,
            "components": {"schemas": top.get("$defs", {}),
                           "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                          "description": "A personal API token (lms_...)."}}}}
