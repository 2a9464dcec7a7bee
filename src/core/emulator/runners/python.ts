import { PYTHON_RUNNER_COMMON } from './shared';

/**
 * The Python 3 runner, run as `python3 -c PYTHON_RUNNER` in a child process.
 * Same protocol as the Node.js runner (runners/node.ts): config JSON on stdin,
 * one outcome JSON on fd 3; the handler's prints stay on stdout/stderr (the log).
 * Keep this source free of backticks and dollar-brace sequences.
 */
export const PYTHON_RUNNER = String.raw`
import sys, os, json, time, traceback, importlib.util

def send(outcome):
    try:
        text = json.dumps(outcome, allow_nan=False)
    except (TypeError, ValueError) as e:
        text = json.dumps({"ok": False, "kind": "invalid-result", "errorType": type(e).__name__,
                           "errorMessage": "The handler result cannot be serialised to JSON: " + str(e)})
    try:
        with os.fdopen(3, "w") as f:
            f.write(text + "\n")
    except OSError as e:
        sys.stderr.write("iot-authz runner: cannot report the result: %s\n" % e)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)

def error_of(kind, e, started=None):
    o = {"ok": False, "kind": kind, "errorType": type(e).__name__, "errorMessage": str(e),
         "stack": traceback.format_exception(type(e), e, e.__traceback__)}
    if started is not None:
        o["durationMs"] = (time.perf_counter() - started) * 1000
    return o

class LambdaContext:
    def __init__(self, l, timeout_ms):
        self.function_name = l["name"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = "arn:aws:lambda:%s:%s:function:%s" % (l["region"], l["account"], l["name"])
        self.memory_limit_in_mb = 128
        self.aws_request_id = l["requestId"]
        self.log_group_name = "/aws/lambda/" + l["name"]
        self.log_stream_name = "local/iot-authz"
        self._deadline = time.time() * 1000 + timeout_ms
    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline - time.time() * 1000))
${PYTHON_RUNNER_COMMON}
def main():
    cfg = json.loads(sys.stdin.read())
    path = cfg["file"]
    try:
        mod, name = load_handler_module(path)
    except BaseException as e:
        send(error_of("load", e))
    fn = getattr(mod, cfg["functionName"], None)
    if not callable(fn):
        names = [k for k in dir(mod) if not k.startswith("_") and callable(getattr(mod, k)) and getattr(getattr(mod, k), "__module__", None) == name]
        msg = '%s has no function named "%s"' % (os.path.basename(path), cfg["functionName"])
        if names:
            msg += " (it defines: " + ", ".join(names) + ")"
        send({"ok": False, "kind": "missing-export", "errorType": "Runtime.HandlerNotFound", "errorMessage": msg + "."})
    context = LambdaContext(cfg["lambda"], cfg["timeoutMs"])
    try:
        os.write(3, b'{"phase":"invoke"}\n')
    except OSError:
        pass
    started = time.perf_counter()
    try:
        result = fn(cfg["event"], context)
    except BaseException as e:
        send(error_of("handler-error", e, started))
    send({"ok": True, "result": result, "durationMs": (time.perf_counter() - started) * 1000})

main()
`;
