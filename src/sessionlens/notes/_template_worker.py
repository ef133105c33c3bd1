"""Runs one user template in a child process: Jinja2's sandbox against escapes, this process's
limits (memory, CPU, output size, loop budget) against exhaustion. Reads JSON on stdin, writes
JSON on stdout. Imports only the standard library and jinja2."""

from __future__ import annotations

import json
import sys

MAX_OUTPUT = 2_000_000  # characters
MAX_ITEMS = 200_000  # total items all loops over range()/sequences may yield
MAX_REPEAT = 100_000  # longest string or list a "*" may build


class Budget:
    def __init__(self) -> None:
        self.left = MAX_ITEMS

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            from jinja2.exceptions import SecurityError
            raise SecurityError("the template loops too much")


def _env(budget: Budget):
    from jinja2 import StrictUndefined
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Env(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context, operator, left, right):
            if operator == "**":
                raise SecurityError("the ** operator is not allowed in note templates")
            size = [len(x) * y for x, y in ((left, right), (right, left))
                    if isinstance(x, (str, list, tuple)) and isinstance(y, int)]
            if size and size[0] > MAX_REPEAT:
                raise SecurityError("the template builds a value that is too large")
            return super().call_binop(context, operator, left, right)

    # StrictUndefined: a refused attribute raises instead of printing as empty text
    env = Env(autoescape=False, keep_trailing_newline=True, undefined=StrictUndefined)

    def limited_range(*args: int):
        r = range(*args)
        budget.spend(len(r))
        return list(r)

    env.globals = {"range": limited_range}
    return env


class Counted(list):
    """A list whose iteration is paid for from the loop budget (nested loops cannot explode)."""

    budget: Budget

    def __iter__(self):
        for x in super().__iter__():
            self.budget.spend()
            yield x


def wrap(value, budget: Budget):
    if isinstance(value, dict):
        return {k: wrap(v, budget) for k, v in value.items()}
    if isinstance(value, list):
        out = Counted(wrap(v, budget) for v in value)
        out.budget = budget
        return out
    return value


def main() -> None:
    request = json.loads(sys.stdin.read())
    budget = Budget()
    from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError
    try:
        template = _env(budget).from_string(request["source"])
        out, size = [], 0
        for chunk in template.generate(**wrap(request["context"], budget)):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise SecurityError("the template's output is too large")
            out.append(chunk)
        result = {"ok": "".join(out)}
    except TemplateSyntaxError as exc:
        result = {"error": "syntax", "message": f"line {exc.lineno}: {exc.message}"}
    except SecurityError as exc:
        result = {"error": "security", "message": str(exc)}
    except TemplateError as exc:
        result = {"error": "template", "message": str(exc)}
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError, RecursionError) as exc:
        result = {"error": "template", "message": type(exc).__name__}
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
