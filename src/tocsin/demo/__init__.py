"""The demo: a generated week about a fictional brand, loaded and replayed live by ``tocsin demo``.

See docs/demo.md.  Example::

    from tocsin.demo.generator import generate
    dataset = generate(seed=7)
"""
