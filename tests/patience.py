"""How long a test lets something work towards a condition before calling it a hang.

The tests wait on conditions, never on time: this is only the guard against waiting for ever,
so it is generous and the same everywhere (a busy 2-core machine running the suite beside
other work takes many seconds to start an app or a child process; 10–60 s guards were seen to
fail there).
"""

PATIENCE = 90.0
