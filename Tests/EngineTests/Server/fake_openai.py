#!/usr/bin/env python3
"""A deterministic OpenAI-compatible chat-completions server for Baton's tests (stdlib only).

Start:  python3 fake_openai.py [--log requests.jsonl] [--config config.json] [--delay SECONDS]
It binds 127.0.0.1 on a free port and prints "PORT <n>" on its first stdout line.

Answers (POST /v1/chat/completions, also /chat/completions):
  * The prompt is the content of the last user message.
  * A reply rule from the config whose "match" occurs in the prompt gives the answer
    ({"match": "...", "reply": "...", "times": n}: used at most n times, then the next rule).
  * A marker "[[reply:TEXT]]" in the prompt answers TEXT.
  * Otherwise "echo: <prompt>", or with response_format json: {"echo": "<prompt>"}.
  * stream=true answers Server-Sent Events, one event per word, then usage and [DONE].
  * usage: prompt_tokens = words in all messages, completion_tokens = words in the answer.

Faults, chosen by markers in the prompt (xN: only the first N requests with this prompt fail):
  [[429]] [[429x2]] [[429:SECONDS]]  HTTP 429 with Retry-After SECONDS (default 1)
  [[500]] [[500x1]] [[503]]          HTTP 5xx with an OpenAI error body
  [[reset]] [[resetx1]]              the connection is reset (TCP RST) after reading the request
  [[slow:SECONDS]] [[slow:SECONDSx1]] sleeps before answering (use it to pass a timeout)
  [[invalid-json]] [[invalid-jsonx1]] HTTP 200 with a body that is not JSON
  [[huge]]                           HTTP 200 with a 50 MB body
  [[trickle:SECONDS]]                HTTP 200 announcing a 64 MiB body, then one byte every 0.2 s
                                     for SECONDS (default 30): a slow body must not outlast the timeout
  [[drip:SECONDS]]                   the same with an announced body of 4,000 bytes (under any limit)
  [[bad-usage]] [[bad-usagex1]]      a good answer whose usage says prompt_tokens -5 and
                                     completion_tokens 2^63-1
  [[null-content]] [[null-contentx1]] HTTP 200 with "content": null and no tool call
  [[400]]                            HTTP 400 (not retryable)
  [[429 retry-after=VALUE]] [[503x1 retry-after=VALUE]]
                                     HTTP 429 or 503 whose Retry-After header is VALUE as written
                                     (any text but "]]": 1e30, -1, soon, an HTTP-date, 9223372036854775808)
A model name containing "unknown" answers HTTP 404 model_not_found.
Config "fail_percent": P fails (HTTP 500) every request whose prompt's FNV-1a 32-bit hash
% 10000 < P * 100; with "fail_once": true, only the first request with that prompt fails.
Config "delay": SECONDS delays every answer (a slow server for kill tests).
Config "realistic": true answers like a real model instead of echoing (realistic_model.py:
varied wording, glossary terms only where they occur, optional JSON keys left out, some invalid
JSON first answers, about one request in four slowed by "slow_seconds" (default 0.3)); streamed
answers are then written a few bytes at a time, so UTF-8 characters are split across reads.

Control: GET /requests -> {"count": n, "requests": [...]}; GET /stats -> in-flight figures;
POST /config with a JSON object merges it into the config; POST /reset clears the records.
Every request is also appended to the --log JSONL file as it arrives.
"""
import argparse
import json
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realistic_model  # noqa: E402  (next to this script)
from realistic_model import fnv1a32  # noqa: E402  (one hash for both: the same prompt, the same choice)

LOCK = threading.Lock()
STATE = {
    "config": {},
    "requests": [],
    "seen": {},          # (marker, prompt) -> count
    "rule_uses": {},     # rule index -> count
    "in_flight": 0,
    "max_in_flight": 0,
    "busy_since": None,  # for the time-weighted in-flight average
    "area": 0.0,         # integral of in-flight over time
    "busy_time": 0.0,
    "last_change": None,
}
LOG_PATH = None
RETRY_AFTER = re.compile(r"\[\[(429|503)(?:x(\d+))? retry-after=(.*?)\]\]")
MARKER = re.compile(r"\[\[(429|500|502|503|400|reset|invalid-json|huge|slow|trickle|drip|bad-usage|null-content)(?::([0-9.]+))?(?:x(\d+))?\]\]")


def spent(match, prompt, times):
    """Counts one more request carrying this marker and prompt; True once an xN marker has
    already failed N of them (the request is then answered normally)."""
    with LOCK:
        key = (match.group(0), prompt)
        STATE["seen"][key] = STATE["seen"].get(key, 0) + 1
        count = STATE["seen"][key]
    return times is not None and count > int(times)


def words(text):
    return len(text.split())


def change_in_flight(delta):
    now = time.monotonic()
    with LOCK:
        last = STATE["last_change"]
        if last is not None and STATE["in_flight"] > 0:
            STATE["area"] += STATE["in_flight"] * (now - last)
            STATE["busy_time"] += now - last
        STATE["last_change"] = now
        STATE["in_flight"] += delta
        STATE["max_in_flight"] = max(STATE["max_in_flight"], STATE["in_flight"])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, obj, headers=None):
        body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        if self.path == "/requests":
            with LOCK:
                self.send_json(200, {"count": len(STATE["requests"]), "requests": STATE["requests"]})
        elif self.path == "/stats":
            with LOCK:
                busy = STATE["busy_time"]
                average = STATE["area"] / busy if busy > 0 else 0.0
                self.send_json(200, {"count": len(STATE["requests"]), "max_in_flight": STATE["max_in_flight"],
                                     "average_in_flight": average, "in_flight": STATE["in_flight"]})
        elif self.path in ("/v1/models", "/models"):
            self.send_json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
        else:
            self.send_json(404, {"error": {"message": "no route " + self.path}})

    def do_POST(self):
        raw = self.read_body()
        if self.path == "/config":
            with LOCK:
                STATE["config"].update(json.loads(raw or b"{}"))
            return self.send_json(200, {"ok": True})
        if self.path == "/reset":
            with LOCK:
                for key in ("requests", "seen", "rule_uses"):
                    STATE[key] = [] if key == "requests" else {}
                STATE.update(max_in_flight=0, area=0.0, busy_time=0.0)
            return self.send_json(200, {"ok": True})
        if self.path not in ("/v1/chat/completions", "/chat/completions"):
            return self.send_json(404, {"error": {"message": "no route " + self.path}})
        change_in_flight(+1)
        try:
            self.complete(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            change_in_flight(-1)

    def complete(self, raw):
        try:
            request = json.loads(raw)
        except ValueError:
            return self.send_json(400, {"error": {"message": "request body is not JSON"}})
        record = {"path": self.path, "authorization": self.headers.get("Authorization"), "user_agent": self.headers.get("User-Agent"), "body": request,
                  "time": time.time()}
        with LOCK:
            STATE["requests"].append(record)
            config = dict(STATE["config"])
        if LOG_PATH:
            with LOCK, open(LOG_PATH, "a", encoding="utf-8") as log:
                log.write(json.dumps(record, ensure_ascii=False) + "\n")

        messages = request.get("messages") or []
        users = [m.get("content", "") for m in messages if m.get("role") == "user"]
        prompt = users[-1] if users else ""
        model = request.get("model", "")
        if config.get("delay"):
            time.sleep(float(config["delay"]))
        if "unknown" in model:
            return self.send_json(404, {"error": {"message": "The model '%s' does not exist" % model,
                                                  "type": "invalid_request_error", "code": "model_not_found"}})
        percent = config.get("fail_percent")
        if percent and fnv1a32(prompt) % 10000 < float(percent) * 100:
            with LOCK:
                key = ("fail_percent", prompt)
                STATE["seen"][key] = STATE["seen"].get(key, 0) + 1
                first = STATE["seen"][key] == 1
            if first or not config.get("fail_once"):
                return self.send_json(500, {"error": {"message": "injected failure", "type": "server_error"}})

        for match in RETRY_AFTER.finditer(prompt):
            status, times, value = match.group(1), match.group(2), match.group(3)
            if spent(match, prompt, times):
                continue
            return self.send_json(int(status), {"error": {"message": "injected %s" % status, "type": "rate_limit"}},
                                  {"Retry-After": value})

        for match in MARKER.finditer(prompt):
            kind, argument, times = match.group(1), match.group(2), match.group(3)
            if spent(match, prompt, times):
                continue
            if kind == "slow":
                time.sleep(float(argument or 1))
                continue
            return self.fault(kind, argument)

        if config.get("realistic") and realistic_model.is_slow(request):
            time.sleep(float(config.get("slow_seconds", 0.3)))
        reply = self.reply_for(prompt, request, config)
        usage = {"prompt_tokens": sum(words(m.get("content", "")) for m in messages),
                 "completion_tokens": words(reply)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        if request.get("stream"):
            return self.stream(reply, model, usage, request, config)
        self.send_json(200, {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
            "usage": usage})

    def reply_for(self, prompt, request, config):
        for index, rule in enumerate(config.get("replies") or []):
            if rule.get("match", "") in prompt:
                with LOCK:
                    used = STATE["rule_uses"].get(index, 0)
                    if rule.get("times") is not None and used >= int(rule["times"]):
                        continue
                    STATE["rule_uses"][index] = used + 1
                return rule.get("reply", "")
        marker = re.search(r"\[\[reply:(.*?)\]\]", prompt, re.S)
        if marker:
            return marker.group(1)
        if config.get("realistic"):
            return realistic_model.reply(request)
        fmt = (request.get("response_format") or {}).get("type")
        if fmt in ("json_object", "json_schema"):
            return json.dumps({"echo": prompt}, ensure_ascii=False)
        return "echo: " + prompt

    def fault(self, kind, argument):
        if kind == "429":
            return self.send_json(429, {"error": {"message": "rate limited", "type": "rate_limit"}},
                                  {"Retry-After": argument or "1"})
        if kind in ("500", "502", "503", "400"):
            return self.send_json(int(kind), {"error": {"message": "injected %s" % kind, "type": "server_error"}})
        if kind == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return None
        if kind == "invalid-json":
            body = b'{"choices": [{"message": '
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        if kind in ("trickle", "drip"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(64 * 1024 * 1024 if kind == "trickle" else 4000))
            self.end_headers()
            deadline = time.time() + float(argument or 30)
            try:
                while time.time() < deadline:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            self.close_connection = True
            return None
        if kind == "bad-usage":
            return self.send_json(200, {
                "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": "fake",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "fine answer"}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": -5, "completion_tokens": 2 ** 63 - 1, "total_tokens": 2 ** 63 - 6}})
        if kind == "null-content":
            return self.send_json(200, {
                "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": "fake",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": None}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 3, "completion_tokens": 0, "total_tokens": 3}})
        if kind == "huge":
            size = 50 * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b" " * (1 << 20)
            for _ in range(50):
                self.wfile.write(chunk)
            return None
        return None

    def stream(self, reply, model, usage, request, config):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        pieces = re.findall(r"\S+\s*|\s+", reply) or [""]
        delay = float(config.get("stream_delay") or 0)

        split = bool(config.get("realistic"))

        def event(obj):
            data = ("data: " + json.dumps(obj, ensure_ascii=False) + "\n\n").encode("utf-8")
            # Realistic mode: 5-byte writes, so a 3-byte Hangul character often straddles two reads.
            for start in range(0, len(data), 5 if split else len(data)):
                self.wfile.write(data[start:start + (5 if split else len(data))])
                self.wfile.flush()

        for piece in pieces:
            event({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model,
                   "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
            if delay:
                time.sleep(delay)
        event({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model,
               "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if (request.get("stream_options") or {}).get("include_usage"):
            event({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model, "choices": [],
                   "usage": usage})
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def main():
    global LOG_PATH
    parser = argparse.ArgumentParser()
    parser.add_argument("--log")
    parser.add_argument("--config")
    parser.add_argument("--delay", type=float)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    LOG_PATH = args.log
    if args.config:
        with open(args.config, encoding="utf-8") as handle:
            STATE["config"].update(json.load(handle))
    if args.delay is not None:
        STATE["config"]["delay"] = args.delay
    # A parent may start us with SIGTERM blocked or ignored; make it end the server, and end
    # it too when the parent dies so no server outlives its test run.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    ThreadingHTTPServer.request_queue_size = 1024
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
