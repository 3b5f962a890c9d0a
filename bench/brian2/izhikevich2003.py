"""
Izhikevich's (2003) pulse-coupled network in Brian2, with ANNarchy's scheme as
examples/networks/izhikevich2003.ts builds it in spikeworld: 800 excitatory + 200 inhibitory
neurons, all-to-all (no self-connections) weights Uniform(0, 0.5) (exc) and Uniform(0, 1) (inh), a fresh Normal(0, 1)
per neuron and step times noise 5 / 2, g_exc and g_inh holding only the current step's input,
explicit Euler with dt 1 ms (not the paper's two half steps). Arguments and output: see common.py.
"""
import brian2 as b2

from common import run_and_report, setup

target, duration_ms, workdir = setup(dt_ms=1.0)
eqs = '''
dv/dt = (0.04 * v**2 + 5 * v + 140 - u + I) / ms : 1
du/dt = a * (b * v - u) / ms : 1
I = g_exc - g_inh + noise * draw : 1
g_exc : 1
g_inh : 1
draw : 1
noise : 1 (constant)
a : 1 (constant)
b : 1 (constant)
c : 1 (constant)
d : 1 (constant)
r : 1 (constant)
'''
P = b2.NeuronGroup(1000, eqs, threshold='v > 30', reset='v = c; u += d', method='euler')
# The step's draw before the update; the conductances cleared after it, before this step's spikes
# add to them (the state update reads what the previous step's spikes delivered).
P.run_regularly('draw = randn()', when='start')
P.run_regularly('g_exc = 0; g_inh = 0', when='thresholds', order=-1)
Pe, Pi = P[:800], P[800:]
# One uniform r per neuron shapes its parameters, as Izhikevich's script does.
P.r = 'rand()'
Pe.noise = 5.0
Pe.a = 0.02
Pe.b = 0.2
Pe.c = '-65 + 15 * r**2'
Pe.d = '8 - 6 * r**2'
Pi.noise = 2.0
Pi.a = '0.02 + 0.08 * r'
Pi.b = '0.25 - 0.05 * r'
Pi.c = -65.0
Pi.d = 2.0
P.v = -65.0
P.u = 'b * v'
Se = b2.Synapses(Pe, P, 'w : 1', on_pre='g_exc_post += w')
Si = b2.Synapses(Pi, P, 'w : 1', on_pre='g_inh_post += w')
# All to all without self-connections, as connectAllToAll does by default (i indexes the slice).
Se.connect(condition='i != j')
Si.connect(condition='i + 800 != j')
Se.w = '0.5 * rand()'
Si.w = 'rand()'
spikes = b2.SpikeMonitor(P)
run_and_report(target, duration_ms, workdir, b2.Network(b2.collect()), spikes, 1000)
