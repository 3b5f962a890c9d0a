"""
COBA (Vogels & Abbott 2005, Brette et al. 2007) in Brian2, as examples/networks/coba.ts builds it
in spikeworld: 4000 conductance-based LIF neurons (3200 exc, 800 inh), 2 % connectivity with
self-connections allowed, weights 0.6 / 6.7, explicit Euler, dt 0.1 ms, 5 ms refractory period.
Dimensionless v and g as in ANNarchy's benchmark. Run by bench/brian2.ts (`npm run bench:brian2`);
needs Debian's python3-brian (`apt-get install python3-brian`) and g++ for cpp_standalone.
Arguments and output: see common.py.
"""
import brian2 as b2

from common import run_and_report, setup

target, duration_ms, workdir = setup(dt_ms=0.1)
eqs = '''
dv/dt = ((El - v) + g_exc * (Erev_exc - v) + g_inh * (Erev_inh - v) + I) / tau : 1 (unless refractory)
dg_exc/dt = -g_exc / tau_exc : 1
dg_inh/dt = -g_inh / tau_inh : 1
'''
namespace = dict(El=-60.0, Vr=-60.0, Erev_exc=0.0, Erev_inh=-80.0, Vt=-50.0, I=20.0,
                 tau=20.0 * b2.ms, tau_exc=5.0 * b2.ms, tau_inh=10.0 * b2.ms)
# spikeworld (like ANNarchy) holds v for 50 steps after the spike step and integrates again at the
# 51st; Brian2 integrates again once 5 ms have passed, one step sooner: one dt more matches them.
P = b2.NeuronGroup(4000, eqs, threshold='v > Vt', reset='v = Vr', refractory=5 * b2.ms + b2.defaultclock.dt,
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
run_and_report(target, duration_ms, workdir, b2.Network(b2.collect()), spikes, 4000)
