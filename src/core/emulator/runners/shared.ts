/**
 * Source shared by the one-shot and warm runners (interpolated into their
 * String.raw sources, so keep these free of backticks and dollar-brace
 * sequences too).
 */

/** Node.js: an outcome for an exception, and whether a handler file is an ES module (as Node decides). */
export const NODE_RUNNER_COMMON = String.raw`
function errorOf(kind, e) {
  const err = e instanceof Error ? e : new Error(String(e));
  return { ok: false, kind: kind, errorType: err.name || 'Error', errorMessage: err.message, stack: typeof err.stack === 'string' ? err.stack.split('\n') : undefined };
}
function isEsm(file) {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  let dir = path.dirname(file);
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try { return JSON.parse(fs.readFileSync(pj, 'utf8')).type === 'module'; } catch (e) { return false; }
    }
    const up = path.dirname(dir);
    if (up === dir) return false;
    dir = up;
  }
}
`;

/** Python: imports the handler file as a module named after it, its folder first on sys.path (as Lambda does); raises what the import raises. */
export const PYTHON_RUNNER_COMMON = String.raw`
def load_handler_module(path):
    sys.path.insert(0, os.path.dirname(path))
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod, name
`;
