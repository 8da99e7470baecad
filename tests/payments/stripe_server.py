"""A local server that speaks Stripe's HTTP API for the calls Occlusa makes, for tests.

The real `stripe` SDK talks to it (STRIPE_API_BASE=server.url): form-encoded requests with
nested `a[b][c]` keys, Bearer authentication, Idempotency-Key (the same key replays the first
answer; the same key on another endpoint is an idempotency_error), Stripe-shaped objects
and errors (payment method "pm_card_chargeDeclined" → 402 card_declined). State lives in
memory. It also records the events Stripe would send, and signs webhook payloads the way
Stripe does, so tests can deliver them to /stripe/webhook.

Faults (`inject`): the next calls to an endpoint end without a usable answer, before or
after Stripe acted: a 500 (kept under the idempotency key, as Stripe keeps it, so retries
with the same key get it again), a timeout (the answer comes after the client gave up), or
a lost answer (the connection closes without one).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import socket
import threading
import time
from typing import Any

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.payments.stripe_errors import DECLINING_METHODS, StripeError
from tests.payments.stripe_card_disputes import CardDisputesEndpoints
from tests.payments.stripe_connect_accounts import ConnectAccountsEndpoints
from tests.payments.stripe_saved_cards import SAVED_CARD_ROUTES, SavedCardsEndpoints

_ROUTES = [
    ("POST", r"/v1/payment_intents", "create_payment_intent"),
    ("GET", r"/v1/payment_intents/(?P<id>[^/]+)", "get_payment_intent"),
    ("POST", r"/v1/payment_intents/(?P<id>[^/]+)/confirm", "confirm_payment_intent"),
    ("POST", r"/v1/payment_intents/(?P<id>[^/]+)/capture", "capture_payment_intent"),
    ("POST", r"/v1/payment_intents/(?P<id>[^/]+)/cancel", "cancel_payment_intent"),
    ("POST", r"/v1/transfers", "create_transfer"),
    ("GET", r"/v1/transfers", "list_transfers"),
    ("GET", r"/v1/transfers/(?P<id>[^/]+)", "get_transfer"),
    ("POST", r"/v1/transfers/(?P<id>[^/]+)/reversals", "create_reversal"),
    ("POST", r"/v1/refunds", "create_refund"),
    ("GET", r"/v1/refunds", "list_refunds"),
    ("GET", r"/v1/refunds/(?P<id>[^/]+)", "get_refund"),
    ("POST", r"/v1/accounts", "create_account"),
    ("GET", r"/v1/accounts/(?P<id>[^/]+)", "get_account"),
    ("POST", r"/v1/account_links", "create_account_link"),
    *SAVED_CARD_ROUTES,
]


def _missing(kind: str, ident: str) -> StripeError:
    return StripeError(404, "invalid_request_error", f"No such {kind}: '{ident}'", code="resource_missing")


def decode_form(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding (a[b]=1, a[0]=x) back into nested dicts and lists."""
    root: dict = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _listify(root)


def _listify(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_listify(node[k]) for k in sorted(node, key=int)]
        return {k: _listify(v) for k, v in node.items()}
    return node


def _int(params: dict, name: str) -> int:
    try:
        return int(params[name])
    except (KeyError, ValueError):
        raise StripeError(
            400, "invalid_request_error", f"Missing required param: {name}.", code="parameter_missing", param=name
        ) from None


class StripeServer(SavedCardsEndpoints, ConnectAccountsEndpoints, CardDisputesEndpoints):
    """`with StripeServer() as server:` → server.url for STRIPE_API_BASE; state in attributes."""

    def __init__(self, api_key: str = "sk_test_occlusa"):
        self.api_key = api_key
        self.objects: dict[str, dict] = {}
        self.idempotent: dict[str, tuple[str, int, dict]] = {}
        self.requests: list[tuple[str, str, dict, str | None]] = []  # method, path, params, idempotency key
        self.events: list[dict] = []
        self.faults: list[dict] = []
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def reset(self) -> None:
        """Forget every object, key, request and event (between tests)."""
        with self._lock:
            self.objects.clear()
            self.idempotent.clear()
            self.requests.clear()
            self.events.clear()
            self.faults.clear()

    def __enter__(self) -> "StripeServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._thread.join(5)

    # -- HTTP ---------------------------------------------------------------------------------

    def inject(
        self, method: str, path: str, fault: str, *, after: bool = True, times: int = 3, delay: float = 0.0
    ) -> None:
        """The next `times` requests matching `method` and the `path` pattern fail with `fault`
        ("error": 500, "timeout": answered after `delay` seconds, "lost": no answer), after
        Stripe acted (`after`) or before. Three covers the SDK's call and its two retries."""
        with self._lock:
            self.faults.append(
                {"method": method, "path": path, "fault": fault, "after": after, "left": times, "delay": delay}
            )

    def _take_fault(self, method: str, path: str) -> dict | None:
        for fault in self.faults:
            if fault["left"] > 0 and fault["method"] == method and re.fullmatch(fault["path"], path):
                fault["left"] -= 1
                return fault
        return None

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        with self._lock:
            fault = self._take_fault(request.method, request.path)
        if fault is not None and not fault["after"]:
            return self._fail(fault, environ, start_response)
        status, body = self._answer(request, fault)
        if fault is not None:
            return self._fail(fault, environ, start_response)
        return Response(json.dumps(body), status=status, content_type="application/json")(environ, start_response)

    @staticmethod
    def _fail(fault: dict, environ, start_response):
        if fault["fault"] == "lost":
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
            return []
        if fault["fault"] == "timeout":
            time.sleep(fault["delay"])
        body = {"error": {"type": "api_error", "message": "An unknown error occurred."}}
        return Response(json.dumps(body), status=500, content_type="application/json")(environ, start_response)

    def _answer(self, request: Request, fault: dict | None = None) -> tuple[int, dict]:
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided."}}
        params = decode_form(
            list(request.form.items(multi=True)) if request.method == "POST" else list(request.args.items(multi=True))
        )
        key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
        with self._lock:
            self.requests.append((request.method, request.path, params, key))
            if key and key in self.idempotent:
                path, status, body = self.idempotent[key]
                if path != request.path:
                    return 400, {
                        "error": {
                            "type": "idempotency_error",
                            "message": "Keys for idempotent requests can only be used for the same endpoint.",
                        }
                    }
                return status, body
            status, body = self._route(request.method, request.path, params)
            if fault is not None and fault["fault"] == "error":
                # Stripe keeps a 500 under the key: the SDK's retries get it again.
                status, body = 500, {"error": {"type": "api_error", "message": "An unknown error occurred."}}
            if key:
                self.idempotent[key] = (request.path, status, body)
            return status, body

    def _route(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        for verb, pattern, name in _ROUTES:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                try:
                    return 200, getattr(self, name)(params, **match.groupdict())
                except StripeError as exc:
                    return exc.status, exc.body
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({path})."}}

    # -- objects ------------------------------------------------------------------------------

    def _new(self, prefix: str, obj_type: str, **fields: Any) -> dict:
        obj = {
            "id": f"{prefix}_{secrets.token_hex(12)}",
            "object": obj_type,
            "created": int(time.time()),
            "livemode": False,
            **fields,
        }
        self.objects[obj["id"]] = obj
        return obj

    def _get(self, ident: str, obj_type: str) -> dict:
        obj = self.objects.get(ident)
        if obj is None or obj["object"] != obj_type:
            raise _missing(obj_type.replace("_", " "), ident)
        return obj

    def emit(self, event_type: str, obj: dict) -> dict:
        event = {
            "id": f"evt_{secrets.token_hex(12)}",
            "object": "event",
            "type": event_type,
            "api_version": "2025-01-27.acacia",
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "data": {"object": json.loads(json.dumps(obj))},
        }
        self.events.append(event)
        return event

    def create_payment_intent(self, params: dict) -> dict:
        amount = _int(params, "amount")
        if amount < 50:
            raise StripeError(
                400,
                "invalid_request_error",
                "Amount must be at least $0.50 usd",
                code="amount_too_small",
                param="amount",
            )
        intent = self._new(
            "pi",
            "payment_intent",
            amount=amount,
            currency=params.get("currency", "usd"),
            capture_method=params.get("capture_method", "automatic"),
            metadata=params.get("metadata", {}),
            payment_method=params.get("payment_method"),
            status="requires_payment_method",
            amount_capturable=0,
            amount_received=0,
            latest_charge=None,
            last_payment_error=None,
            cancellation_reason=None,
            payment_method_types=params.get("payment_method_types", ["card"]),
            customer=params.get("customer"),
            off_session=params.get("off_session"),
        )
        intent["client_secret"] = f"{intent['id']}_secret_{secrets.token_hex(8)}"
        if intent["payment_method"]:
            intent["status"] = "requires_confirmation"
        if params.get("confirm") == "true":
            return self.confirm_payment_intent({}, id=intent["id"])
        return intent

    def get_payment_intent(self, params: dict, id: str) -> dict:
        return self._get(id, "payment_intent")

    def confirm_payment_intent(self, params: dict, id: str) -> dict:
        intent = self._get(id, "payment_intent")
        method = params.get("payment_method") or intent["payment_method"]
        if intent["status"] not in ("requires_payment_method", "requires_confirmation") or not method:
            raise StripeError(
                400,
                "invalid_request_error",
                "This PaymentIntent cannot be confirmed now.",
                code="payment_intent_unexpected_state",
            )
        intent["payment_method"] = method
        charge = self._new(
            "ch",
            "charge",
            amount=intent["amount"],
            currency=intent["currency"],
            payment_intent=id,
            captured=False,
            amount_captured=0,
            amount_refunded=0,
            refunded=False,
            payment_method_details={"card": {"last4": "0002" if method in DECLINING_METHODS else "4242"}},
        )
        intent["latest_charge"] = charge["id"]
        refusal = self.off_session_refusal(intent, method)
        if refusal is not None:
            raise refusal
        if method in DECLINING_METHODS:
            decline_code, message = DECLINING_METHODS[method]
            charge["status"] = "failed"
            intent["status"] = "requires_payment_method"
            intent["last_payment_error"] = {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": decline_code,
                "message": message,
            }
            self.emit("payment_intent.payment_failed", intent)
            raise StripeError(
                402,
                "card_error",
                message,
                code="card_declined",
                decline_code=decline_code,
                charge=charge["id"],
                payment_intent=json.loads(json.dumps(intent)),
            )
        charge["status"] = "succeeded"
        if intent["capture_method"] == "manual":
            intent.update(status="requires_capture", amount_capturable=intent["amount"])
            self.emit("payment_intent.amount_capturable_updated", intent)
        else:
            charge.update(captured=True, amount_captured=intent["amount"])
            intent.update(status="succeeded", amount_received=intent["amount"])
            self.emit("payment_intent.succeeded", intent)
        return intent

    def capture_payment_intent(self, params: dict, id: str) -> dict:
        intent = self._get(id, "payment_intent")
        if intent["status"] != "requires_capture":
            raise StripeError(
                400,
                "invalid_request_error",
                f"This PaymentIntent could not be captured because it has a status of {intent['status']}.",
                code="payment_intent_unexpected_state",
            )
        amount = int(params.get("amount_to_capture", intent["amount_capturable"]))
        if amount > intent["amount_capturable"]:
            raise StripeError(
                400,
                "invalid_request_error",
                "amount_to_capture exceeds the capturable amount.",
                code="amount_too_large",
                param="amount_to_capture",
            )
        intent.update(status="succeeded", amount_received=amount, amount_capturable=0)
        self.objects[intent["latest_charge"]].update(captured=True, amount_captured=amount)
        self.emit("payment_intent.succeeded", intent)
        return intent

    def cancel_payment_intent(self, params: dict, id: str) -> dict:
        intent = self._get(id, "payment_intent")
        if intent["status"] not in (
            "requires_payment_method",
            "requires_capture",
            "requires_confirmation",
            "requires_action",
        ):
            raise StripeError(
                400,
                "invalid_request_error",
                f"You cannot cancel this PaymentIntent because it has a status of {intent['status']}.",
                code="payment_intent_unexpected_state",
            )
        intent.update(
            status="canceled",
            amount_capturable=0,
            cancellation_reason=params.get("cancellation_reason", "requested_by_customer"),
        )
        self.emit("payment_intent.canceled", intent)
        return intent

    def create_transfer(self, params: dict) -> dict:
        amount = _int(params, "amount")
        destination = params.get("destination", "")
        account = self.objects.get(destination)
        if account is None or account["object"] != "account":
            raise StripeError(
                400,
                "invalid_request_error",
                f"No such destination: '{destination}'",
                code="resource_missing",
                param="destination",
            )
        if account["capabilities"].get("transfers") != "active":
            raise StripeError(
                400,
                "invalid_request_error",
                "Your destination account needs to have at least one "
                "of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
                code="insufficient_capabilities_for_transfer",
                param="destination",
            )
        source = params.get("source_transaction")
        if source:
            charge = self._get(source, "charge")
            if not charge["captured"] or amount > charge["amount_captured"] - charge["amount_refunded"]:
                raise StripeError(
                    400,
                    "invalid_request_error",
                    "The transfer amount exceeds the source charge's available amount.",
                    code="transfer_source_balance_parameters_mismatch",
                )
        transfer = self._new(
            "tr",
            "transfer",
            amount=amount,
            currency=params.get("currency", "usd"),
            destination=destination,
            transfer_group=params.get("transfer_group"),
            source_transaction=source,
            amount_reversed=0,
            reversed=False,
            metadata=params.get("metadata", {}),
        )
        self.emit("transfer.created", transfer)
        return transfer

    def _list(self, obj_type: str, **match: str | None) -> dict:
        found = [
            o
            for o in self.objects.values()
            if o["object"] == obj_type and all(o.get(k) == v for k, v in match.items() if v is not None)
        ]
        return {
            "object": "list",
            "url": f"/v1/{obj_type}s",
            "has_more": False,
            "data": sorted(found, key=lambda o: o["created"], reverse=True),
        }

    def list_transfers(self, params: dict) -> dict:
        return self._list("transfer", transfer_group=params.get("transfer_group"))

    def get_transfer(self, params: dict, id: str) -> dict:
        return self._get(id, "transfer")

    def list_refunds(self, params: dict) -> dict:
        return self._list("refund", payment_intent=params.get("payment_intent"), charge=params.get("charge"))

    def get_refund(self, params: dict, id: str) -> dict:
        return self._get(id, "refund")

    def create_reversal(self, params: dict, id: str) -> dict:
        transfer = self._get(id, "transfer")
        amount = int(params.get("amount", transfer["amount"] - transfer["amount_reversed"]))
        if amount <= 0 or amount > transfer["amount"] - transfer["amount_reversed"]:
            raise StripeError(
                400,
                "invalid_request_error",
                "The reversal amount exceeds the transfer's remaining amount.",
                code="amount_too_large",
                param="amount",
            )
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
        return self._new("trr", "transfer_reversal", amount=amount, currency=transfer["currency"], transfer=id)

    def create_refund(self, params: dict) -> dict:
        if params.get("payment_intent"):
            intent = self._get(params["payment_intent"], "payment_intent")
            charge = self.objects.get(intent["latest_charge"] or "")
        else:
            charge = self._get(params.get("charge", ""), "charge")
        if charge is None or not charge["captured"]:
            raise StripeError(
                400, "invalid_request_error", "This charge has not been captured.", code="charge_not_captured"
            )
        left = charge["amount_captured"] - charge["amount_refunded"]
        amount = int(params.get("amount", left))
        if amount <= 0 or amount > left:
            raise StripeError(
                400,
                "invalid_request_error",
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                code="amount_too_large",
                param="amount",
            )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount_captured"]
        refund = self._new(
            "re",
            "refund",
            amount=amount,
            currency=charge["currency"],
            charge=charge["id"],
            payment_intent=charge["payment_intent"],
            status="succeeded",
            metadata=params.get("metadata", {}),
        )
        self.emit("refund.created", refund)
        self.emit("charge.refunded", charge)
        return refund

    def confirm_in_browser(self, intent_id: str, payment_method: str = "pm_card_visa") -> dict:
        """The Payment Element confirmed the intent with a card; returns the resulting event."""
        with self._lock:
            try:
                self.confirm_payment_intent({"payment_method": payment_method}, id=intent_id)
            except StripeError:
                pass
            return self.events[-1]


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send with this payload."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def signed_webhook(event: dict, secret: str, timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
    """(body, headers) of a webhook delivery of `event`, ready for client.post(data=…, headers=…)."""
    payload = json.dumps(event).encode()
    return payload, {"Stripe-Signature": sign(payload, secret, timestamp), "Content-Type": "application/json"}
