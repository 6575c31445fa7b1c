#!/usr/bin/python3
"""Runs ansible-inventory's own code (InventoryCLI, as `ansible-inventory -i FILE --list`) once per file named on
the command line, in one Python process: starting ansible-inventory costs about a second of CPU per file, its
parsing milliseconds. Prints one JSON object per line: {"file", "rc", "stdout", "stderr"}. Each file gets a fresh
CLI, fresh global CLI arguments and fresh warning de-duplication, so no file sees another's state."""
import contextlib
import io
import json
import sys

from ansible import context
from ansible.cli.inventory import InventoryCLI
from ansible.errors import AnsibleError
from ansible.utils.context_objects import GlobalCLIArgs
from ansible.utils.display import Display


def list_one(path):
    GlobalCLIArgs._Singleton__instance = None  # a fresh CLIARGS for each file, as a new process would have
    context.CLIARGS = None
    display = Display()
    display._warns.clear()
    display._errors.clear()
    display._deprecations.clear()
    out, err = io.StringIO(), io.StringIO()
    rc = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = InventoryCLI(['ansible-inventory', '-i', path, '--list']).run() or 0
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
        except AnsibleError as e:
            print('ERROR! %s' % e, file=sys.stderr)
            rc = 1
    return {'file': path, 'rc': rc, 'stdout': out.getvalue(), 'stderr': err.getvalue()}


for name in sys.argv[1:]:
    print(json.dumps(list_one(name)), flush=True)
