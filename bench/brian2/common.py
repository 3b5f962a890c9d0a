"""
What every Brian2 benchmark script here shares: choosing the code generation target from the
command line, and timing the run the same way for each.

    python3 <script>.py <target: cpp_standalone | cython | numpy> <duration_ms> <seed> <workdir>
    (workdir: the standalone project, or the Cython cache)
    -> {"target": ..., "simulate_s": ..., "compile_s": ..., "rate_hz": ...}
"""
import json
import sys
import time
import warnings

warnings.filterwarnings('ignore')

import brian2 as b2  # noqa: E402


def setup(dt_ms):
    """Reads the arguments, selects the target, seeds Brian2; returns (target, duration_ms, workdir)."""
    target, duration_ms, seed, workdir = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    b2.prefs.logging.console_log_level = 'ERROR'
    if target == 'cpp_standalone':
        b2.set_device('cpp_standalone', directory=workdir, build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = 0  # one thread, like the other figures
    else:
        b2.prefs.codegen.target = target
        if target == 'cython':
            # A cache directory of the caller's choosing: empty for a cold run, reused for a warm one.
            b2.prefs.codegen.runtime.cython.cache_dir = workdir
    b2.seed(seed)
    b2.defaultclock.dt = dt_ms * b2.ms
    return target, duration_ms, workdir


def run_and_report(target, duration_ms, workdir, network, spikes, neurons):
    """
    Runs `network` (build it with b2.Network(b2.collect()) in the script: Brian2's magic run
    would only see this module's objects), prints the JSON line: the run's time by Brian2's own
    timer, the time around it (code generation, compilation, setup), the rate.
    """
    start = time.perf_counter()
    network.run(duration_ms * b2.ms)
    if target == 'cpp_standalone':
        b2.device.build(directory=workdir, compile=True, run=True, debug=False)
    # Brian2's own timer around the time-step loop alone. Standalone without OpenMP (one thread)
    # takes it with std::clock(), i.e. process CPU time; the runtime targets with wall time.
    simulate_s = b2.device._last_run_time
    # The rest: code generation, compiling (C++, or Cython into an empty cache) and setup.
    compile_s = time.perf_counter() - start - simulate_s
    rate_hz = spikes.num_spikes / neurons / (duration_ms / 1000)
    print(json.dumps({'target': target, 'simulate_s': simulate_s, 'compile_s': compile_s, 'rate_hz': rate_hz}))
