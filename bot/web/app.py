"""Sanic app factory. Each request has one unit of work; blocking database work runs in worker threads
(`in_worker`), never on the event loop."""
from __future__ import annotations

import asyncio
import itertools
import logging

from sanic import Sanic, response
from sanic.request import Request

from bot.bootstrap import Services, bootstrap
from bot.catalog.products import list_products
from bot.db.scope import in_worker
from bot.db.uow import run_in_unit_of_work
from bot.handoff.workspace import watch
from bot.orders import service as orders
from bot.reminders.deliveries import record_rendered, track_id_of
from bot.scripts.render import render
from bot.security.staff import ensure_admin
from bot.web.agent import bp as agent_bp
from bot.web.auth import bp as auth_bp
from bot.web.auth import check_access
from bot.web.console.blueprints import BLUEPRINTS as CONSOLE_BLUEPRINTS
from bot.web.console.layout import console_page
from bot.web.handoffs import bp as handoffs_bp
from bot.web.knowledge import bp as knowledge_bp
from bot.web.limits import REQUEST_MAX_SIZE, validated
from bot.web.nlg import to_rasa_message, to_render_request
from bot.web.notices import bp as notices_bp
from bot.web.pages import library_status_page
from bot.web.payments import bp as payments_bp
from bot.web.schemas import NLG, ORDER
from bot.web.storefront import bp as storefront_bp
from bot.web.training import bp as training_bp
from bot.web.units import close_unit_of_work, open_unit_of_work
from bot.web.workspace_pages import bp as workspace_pages_bp

log = logging.getLogger("store.web")
_app_ids = itertools.count()


def create_app(services: Services | None = None) -> Sanic:
    """The web app over the process's services (the composition root builds them when none are given)."""
    services = services or bootstrap()
    settings = services.settings
    app = Sanic(f"store_web_{next(_app_ids)}")
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_SIZE
    app.register_middleware(open_unit_of_work, "request")
    app.register_middleware(check_access, "request")
    app.register_middleware(close_unit_of_work, "response")
    app.ctx.services = services
    app.ctx.library = services.library
    app.blueprint(auth_bp)
    app.blueprint(payments_bp)
    app.blueprint(handoffs_bp)
    app.blueprint(agent_bp)
    app.blueprint(workspace_pages_bp)
    app.blueprint(knowledge_bp)
    app.blueprint(notices_bp)
    app.blueprint(training_bp)
    app.blueprint(storefront_bp)
    for blueprint in CONSOLE_BLUEPRINTS:
        app.blueprint(blueprint)

    @app.before_server_start
    async def first_manager(*_):
        if await asyncio.to_thread(run_in_unit_of_work, ensure_admin):   # a start-up job
            log.info("created the first manager account")

    @app.after_server_start
    async def handoff_watchdog(*_):
        app.ctx.handoff_watch = asyncio.ensure_future(watch(app.ctx.library, settings.handoff_watch_seconds))

    @app.before_server_stop
    async def stop_handoff_watchdog(*_):
        app.ctx.handoff_watch.cancel()

    @app.get("/health")
    async def health(_: Request):
        library = app.ctx.library.get()
        return response.json({"status": "ok", "responses": len(library.responses),
                              "library_errors": len(app.ctx.library.status.errors)})

    @app.post("/nlg")
    @validated(NLG, max_bytes=REQUEST_MAX_SIZE)
    async def nlg(request: Request, body: dict):
        library = app.ctx.library.get()
        rendered = render(library, to_render_request(body, services.store()))
        if track_id_of(body):
            await in_worker(record_rendered, body, rendered)
        return response.json(to_rasa_message(rendered, body, library))

    @app.get("/api/products")
    async def products(request: Request):
        category = request.args.get("category")
        items = await in_worker(list_products, category)
        return response.json([p.as_json() for p in items])

    @app.post("/api/orders")
    @validated(ORDER)
    async def create_order(request: Request, body: dict):
        """The buyer is the shopper session of the request's token, never a field of the body."""
        try:
            order = await in_worker(orders.create_order, request.ctx.shopper, body["items"], body.get("agent_id"))
        except orders.OrderError as exc:
            return response.json({"error": str(exc)}, status=400)
        return response.json(order.as_json(), status=201)

    @app.get("/api/orders/<order_id>")
    async def get_order(_: Request, order_id: str):
        order = await in_worker(orders.get_order, order_id)
        if order is None:
            return response.json({"error": f"unknown order {order_id}"}, status=404)
        return response.json(order.as_json())

    @app.get("/api/library/status")
    async def library_status(_: Request):
        status = app.ctx.library.status
        app.ctx.library.get()
        return response.json({
            "loaded_at": status.loaded_at, "rejected_at": status.rejected_at,
            "errors": [str(e) for e in status.errors], "warnings": [str(e) for e in status.warnings],
        })

    @app.get("/manager/library")
    async def library_page(request: Request):
        app.ctx.library.get()
        return console_page(request, "话术库状态", library_status_page(app.ctx.library), active="/manager/library",
                            head='<meta http-equiv="refresh" content="5">')

    return app
