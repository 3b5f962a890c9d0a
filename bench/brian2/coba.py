"""
COBA (Vogels & Abbott 2005, Brette et al. 2007) in Brian2, as examples/networks/coba.ts builds it
in spikeworld: 4000 conductance-based LIF neurons (3200 exc, 800 inh), 2 % connectivity with
self-connections allowed, weights 0.6 / 6.7, explicit Euler, dt 0.1 ms, 5 ms refractory period.
Dimensionless v and g as in ANNarchy's benchmark. Run by bench/brian2.ts (`npm run bench:brian2`);
needs Debian's python3-brian (`apt-get install python3-brian`) and g++ for cpp_standalone.

    python3 coba.py <target: cpp_standalone | cython | numpy> <duration_ms> <seed> <workdir>
    (workdir: the standalone project, or the Cython cache)
    -> {"target": ..., "simulate_s": ..., "compile_s": ..., "rate_hz": ...}
"""
import json
import sys
import time
import warnings

warnings.filterwarnings('ignore')

import brian2 as b2  # noqa: E402

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
b2.defaultclock.dt = 0.1 * b2.ms

eqs = '''
dv/dt = ((El - v) + g_exc * (Erev_exc - v) + g_inh * (Erev_inh - v) + I) / tau : 1 (unless refractory)
dg_exc/dt = -g_exc / tau_exc : 1
dg_inh/dt = -g_inh / tau_inh : 1
'''
namespace = dict(El=-60.0, Vr=-60.0, Erev_exc=0.0, Erev_inh=-80.0, Vt=-50.0, I=20.0,
                 tau=20.0 * b2.ms, tau_exc=5.0 * b2.ms, tau_inh=10.0 * b2.ms)
P = b2.NeuronGroup(4000, eqs, threshold='v > Vt', reset='v = Vr', refractory=5 * b2.ms,
                   method='euler', namespace=namespace)
P.v = '-55 + 5 * randn()'
P.g_exc = '4 + 1.5 * randn()'
P.g_inh = '20 + 12 * randn()'
Pe, Pi = P[:3200], P[3200:]
Ce = b2.Synapses(Pe, P, on_pre='g_exc += 0.6')
Ci = b2.Synapses(Pi, P, on_pre='g_inh += 6.7')
Ce.connect(p=0.02)
Ci.connect(p=0.02)
spikes = b2.SpikeMonitor(P)

start = time.perf_counter()
b2.run(duration_ms * b2.ms)
if target == 'cpp_standalone':
    b2.device.build(directory=workdir, compile=True, run=True, debug=False)
    total = time.perf_counter() - start
    simulate_s = b2.device._last_run_time
    compile_s = total - simulate_s
else:
    simulate_s = time.perf_counter() - start
    compile_s = None
rate_hz = spikes.num_spikes / 4000 / (duration_ms / 1000)
print(json.dumps({'target': target, 'simulate_s': simulate_s, 'compile_s': compile_s, 'rate_hz': rate_hz}))
