import { PYTHON_RUNNER_COMMON } from './shared';

/**
 * The warm Python 3 runner (`python3 -c WARM_PYTHON_RUNNER`): the protocol of
 * the warm Node.js runner (runners/warmNode.ts). Each invocation runs in its own
 * thread, so several can be in flight; prints inside an invocation are routed
 * to it through a thread-local request id.
 * Keep this source free of backticks and dollar-brace sequences.
 */
export const WARM_PYTHON_RUNNER = String.raw`
import sys, os, json, time, traceback, threading, importlib.util

out_lock = threading.Lock()
local = threading.local()
chan = os.fdopen(3, "w")

def line(o):
    try:
        text = json.dumps(o, allow_nan=False)
    except (TypeError, ValueError) as e:
        text = json.dumps({"id": o.get("id"), "outcome": {"ok": False, "kind": "invalid-result", "errorType": type(e).__name__,
                           "errorMessage": "The handler result cannot be serialised to JSON: " + str(e)}})
    with out_lock:
        chan.write(text + "\n")
        chan.flush()

class Routed:
    def __init__(self, real, name):
        self.real = real
        self.name = name
    def write(self, s):
        rid = getattr(local, "rid", None)
        if rid is None:
            return self.real.write(s)
        line({"id": rid, "log": {"stream": self.name, "text": s}})
        return len(s)
    def flush(self):
        self.real.flush()
    def __getattr__(self, k):
        return getattr(self.real, k)

sys.stdout = Routed(sys.stdout, "stdout")
sys.stderr = Routed(sys.stderr, "stderr")

def error_of(kind, e, started=None):
    o = {"ok": False, "kind": kind, "errorType": type(e).__name__, "errorMessage": str(e),
         "stack": traceback.format_exception(type(e), e, e.__traceback__)}
    if started is not None:
        o["durationMs"] = (time.perf_counter() - started) * 1000
    return o

class LambdaContext:
    def __init__(self, l, rid, timeout_ms):
        self.function_name = l["name"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = "arn:aws:lambda:%s:%s:function:%s" % (l["region"], l["account"], l["name"])
        self.memory_limit_in_mb = 128
        self.aws_request_id = rid
        self.log_group_name = "/aws/lambda/" + l["name"]
        self.log_stream_name = "local/iot-authz"
        self._deadline = time.time() * 1000 + timeout_ms
    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline - time.time() * 1000))

def invoke(fn, cfg, req):
    local.rid = req["id"]
    started = time.perf_counter()
    try:
        result = fn(req["event"], LambdaContext(cfg["lambda"], req["id"], req["timeoutMs"]))
    except BaseException as e:
        line({"id": req["id"], "outcome": error_of("handler-error", e, started)})
        return
    finally:
        local.rid = None
    line({"id": req["id"], "outcome": {"ok": True, "result": result, "durationMs": (time.perf_counter() - started) * 1000}})
${PYTHON_RUNNER_COMMON}
def main():
    cfg = json.loads(sys.stdin.readline())
    path = cfg["file"]
    try:
        mod, name = load_handler_module(path)
    except BaseException as e:
        line({"ready": False, "outcome": error_of("load", e)})
        os._exit(0)
    fn = getattr(mod, cfg["functionName"], None)
    if not callable(fn):
        msg = '%s has no function named "%s".' % (os.path.basename(path), cfg["functionName"])
        line({"ready": False, "outcome": {"ok": False, "kind": "missing-export", "errorType": "Runtime.HandlerNotFound", "errorMessage": msg}})
        os._exit(0)
    line({"ready": True})
    for text in sys.stdin:
        if text.strip():
            threading.Thread(target=invoke, args=(fn, cfg, json.loads(text)), daemon=True).start()
    os._exit(0)

main()
`;
