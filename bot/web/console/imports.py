"""The console's import page: the store's products and order history (dry run, then apply), and training."""
from __future__ import annotations

import asyncio
import re
from html import escape

from sanic import Blueprint, response
from sanic.request import Request

from bot.db.scope import in_worker
from bot.imports.demo import remove_demo_data
from bot.imports.orders import COLUMNS as ORDER_COLUMNS
from bot.imports.products import COLUMNS as PRODUCT_COLUMNS
from bot.imports.reader import ImportFileError
from bot.imports.refresh import training_due
from bot.imports.samples import template
from bot.imports.service import import_orders, import_products
from bot.ops.console_train import JOB
from bot.web.console.layout import console_page
from bot.web.limits import validated
from bot.web.schemas import DEMO_REMOVE, TRAINING_RUN
from bot.web.units import per_request

bp = per_request(Blueprint("console_imports"))
IMPORT_MAX_BYTES = 64 * 1024 * 1024      # a 100,000-order history is about 8 MB as CSV
FILENAME = re.compile(r"^[^/\\\x00]{1,200}\.(csv|txt|xlsx|xlsm)$", re.IGNORECASE)
KINDS = {"products": "商品", "orders": "历史订单"}


def _mapping(columns: dict[str, tuple[str, ...]]) -> str:
    return "、".join(f"<code>{escape(c)}</code>（{escape('/'.join(s[1:]))}）" if len(s) > 1 else f"<code>{c}</code>"
                    for c, s in columns.items())


def _form(kind: str, columns: dict[str, tuple[str, ...]], extra: str = "") -> str:
    return f"""<section><h2>导入{KINDS[kind]}</h2><p>列名（中英文均可）：{_mapping(columns)}{extra}。
<a href="/manager/imports/{kind}/template.csv">下载模板</a></p>
<form class="import" data-kind="{kind}"><input type="file" name="file" accept=".csv,.xlsx,.xlsm" required>
<button name="mode" value="preview">预览（不写入）</button> <button name="mode" value="apply">导入</button>
<div class="report" aria-live="polite"></div></form></section>"""


def imports_body(training_due: bool, state: str) -> str:
    states = {"idle": "", "running": "训练进行中…", "finished": "上次训练已完成，机器人已加载新模型。",
              "failed": "上次训练失败，详情见 var/console-training.log。"}
    due = ("<p class='bad'>商品名称词表已变化：需要重新训练，机器人才能更准确地识别新商品名（识别商品和推荐已立即生效）。</p>"
           if training_due else "<p class='ok'>NLU 模型与当前商品一致，不需要训练。</p>")
    return f"""<p>上传店铺自己的商品和历史订单（CSV 或 Excel）。先「预览」：每一行被拒绝的原因都会列出，预览不写入任何数据；
确认后点「导入」，只导入通过检查的行。再次导入同一商品编码或订单号会原地更新。列的详细说明见 README「导入店铺商品与订单」。</p>
{_form("products", PRODUCT_COLUMNS, "；其他属性用 <code>attr:属性名</code> 列；多个值用 | 或 、 分隔")}
{_form("orders", ORDER_COLUMNS, "；每行一个订单商品，同一订单号的行合并为一单；时间按店铺时区")}
<section><h2>演示数据</h2><p>新安装的系统带有演示店铺的商品和订单。真实店铺导入自己的数据后，可以移除演示数据
（以后新建数据库时设置环境变量 <code>DEMO_STORE=0</code> 即不再加载）。</p>
<button id="remove-demo" type="button">移除演示数据</button> <span id="demo-state"></span></section>
<section><h2>NLU 训练</h2>{due}<button id="start-training" type="button">开始训练</button>
<span id="training-state">{escape(states.get(state, state))}</span></section>
<script src="/static/console-imports.js" defer></script>"""


@bp.get("/manager/imports")
async def imports_page(request: Request):
    due = await asyncio.to_thread(training_due)
    return console_page(request, "商品与订单导入", imports_body(due, JOB.state()), active="/manager/imports")


@bp.get("/manager/imports/<kind>/template.csv")
async def import_template(_: Request, kind: str):
    if kind not in KINDS:
        return response.json({"error": f"kind: one of {', '.join(KINDS)}"}, status=404)
    return response.raw(template(kind), content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={kind}_template.csv"})


@bp.post("/api/console/imports/<kind>", stream=True)
async def run_import(request: Request, kind: str):
    """The raw file is the body (streamed, up to IMPORT_MAX_BYTES); ?apply=1 writes, else a dry run."""
    filename, apply = request.args.get("filename") or "", request.args.get("apply") or "0"
    if kind not in KINDS:
        return response.json({"error": f"kind: one of {', '.join(KINDS)}"}, status=404)
    if not FILENAME.match(filename) or apply not in ("0", "1"):
        return response.json({"error": "filename: a .csv or .xlsx name; apply: 0 or 1"}, status=400)
    stream = request.stream
    if stream is None:
        return response.json({"error": "the file is the request body"}, status=400)
    stream.request_max_size = IMPORT_MAX_BYTES
    chunks, size = [], 0
    while (chunk := await stream.read()) is not None:
        size += len(chunk)
        if size > IMPORT_MAX_BYTES:
            return response.json({"error": f"file over {IMPORT_MAX_BYTES // 1024 // 1024} MB"}, status=413)
        chunks.append(chunk)
    run = import_products if kind == "products" else import_orders
    try:
        report = await in_worker(run, b"".join(chunks), filename, apply == "1")
    except ImportFileError as exc:
        return response.json({"error": str(exc)}, status=400)
    return response.json(report.as_json())


@bp.post("/api/console/demo/remove")
@validated(DEMO_REMOVE)
async def remove_demo(_: Request, body: dict):
    done = await in_worker(remove_demo_data)
    kept = f"，{len(done.kept)} 个演示商品仍在真实订单中，已保留" if done.kept else ""
    return response.json({"orders": done.orders, "products": done.products, "kept": list(done.kept),
                          "message": f"已移除 {done.orders} 个演示订单和 {done.products} 个演示商品{kept}。"})


@bp.post("/api/console/training")
@validated(TRAINING_RUN)
async def start_training(_: Request, body: dict):
    started = await asyncio.to_thread(JOB.start)
    return response.json({"started": started, "state": JOB.state(),
                          "message": "训练已开始，完成后机器人自动加载新模型。" if started else "训练正在进行中，请稍候。"},
                         status=202 if started else 409)
