# The race bench, Locust's side: the same streamed chat completion as bench/race/k6-llm.js, timed the way a Locust
# user times a stream: perf_counter() before the request, then every SSE event read from the response as it arrives
# (FastHttpUser, stream=True), the first content event giving TTFT and the gaps between content events giving ITL.
# Each request's server id, the user's iteration and the times are kept in memory and written as JSON lines to
# $FIDELITY_OUT when Locust quits, so file I/O does not disturb the run.
#
#   FIDELITY_OUT=/tmp/locust.jsonl locust -f bench/race/locustfile.py --headless -u 100 -r 100 -t 25s \
#     --host http://127.0.0.1:PORT
import json
import os
import random
import time

import gevent
from locust import FastHttpUser, constant, events, task

MAX_TOKENS = int(os.environ.get("MAX_TOKENS", "200"))
STAGGER_S = float(os.environ.get("STAGGER_MS", "0")) / 1000
OUT = os.environ.get("FIDELITY_OUT", "locust-fidelity.jsonl")

BODY = json.dumps(
    {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": f"Stream {MAX_TOKENS} tokens, please."}],
        "max_tokens": MAX_TOKENS,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
)
HEADERS = {"Content-Type": "application/json", "Accept": "text/event-stream", "Authorization": "Bearer bench-key"}
RECORDS = []


class StreamingUser(FastHttpUser):
    wait_time = constant(0)
    iteration = 0

    def on_start(self):
        # The same stagger as the k6 script: spread the users over one request's length.
        if STAGGER_S > 0:
            gevent.sleep(random.random() * STAGGER_S)

    @task
    def chat(self):
        iteration = self.iteration
        self.iteration += 1
        times = []
        start = time.perf_counter()
        # No catch_response: in Locust 2.12 FastHttpUser's ResponseContextManager reads the whole body before the
        # `with` block starts, so a stream could only be timed after it ended. Locust records this request's
        # time to the response head itself; TTFT is fired below as a separate entry.
        r = self.client.post("/v1/chat/completions", data=BODY, headers=HEADERS, stream=True, name="chat")
        request_id = r.headers.get("x-truth-id") if r.headers else None
        if r.status_code == 200:
            stream = r.stream
            while True:
                event = stream.readline(b"\n\n")
                if not event:
                    break
                now = time.perf_counter()
                for line in event.split(b"\n"):
                    if not line.startswith(b"data: ") or line == b"data: [DONE]":
                        continue
                    choices = json.loads(line[6:]).get("choices") or []
                    if choices and choices[0].get("delta", {}).get("content"):
                        times.append(now)
        if not times:
            RECORDS.append({"id": request_id, "iter": iteration, "ok": False, "ttft": None, "itl": []})
            return
        ttft = (times[0] - start) * 1000
        itl = [round((b - a) * 1000, 3) for a, b in zip(times, times[1:])]
        RECORDS.append({"id": request_id, "iter": iteration, "ok": True, "ttft": round(ttft, 3), "itl": itl})
        # TTFT as its own entry in Locust's statistics, as Locust LLM tests usually report it.
        events.request.fire(
            request_type="SSE", name="ttft", response_time=ttft, response_length=0, exception=None, context={}
        )


@events.quitting.add_listener
def write_records(environment, **_kwargs):
    with open(OUT, "w") as f:
        for record in RECORDS:
            f.write(json.dumps(record) + "\n")
