"""The certified tree of :mod:`prunecert.checks.instances.neuron_tree` on several processes.

Every node of the tree is an independent question ("is E(S) >= L for every subset S of this
box?"), so the open nodes can be shared out: the main process starts the search alone until it
has enough open nodes, then deals them (in order of their bounds, round-robin) to ``workers``
processes, each with its own node LP and its own learned conflicts (passed on to the others with
their next round: all processes work on the same data, and every use of a conflict is
re-evaluated exactly).  The work goes in rounds of
a few seconds: each worker returns the subtrees it built under the nodes it was given, with the
nodes still open as placeholders ``["P", key]``, and its open nodes; the main process pools them
and deals them out again.  When one worker runs out of nodes, the others are told to end the
round there (except in the last round), so no core waits for the rest of a round.

Soundness does not depend on the split: the final tree is the main process's tree with every
placeholder replaced by the subtree grown under it (or, for a node still open at the end, by an
lp leaf with its parent's dual, whose exact value is computed before it counts), so it is the same
format as a one-process tree and ``prunecert recheck`` re-derives every leaf of it.  A worker that
does not answer in time loses nothing: the nodes it held are bounded by the main process as open
nodes, and when no worker is left the main process searches them itself.  The trees are not reproducible node for node (they depend on timing); the bound they
certify is checked the same way.
"""
from __future__ import annotations

import heapq
import multiprocessing as mp
import time
from multiprocessing.connection import wait as mp_wait

from prunecert.checks.instances.neuron_tree import Search, TreeResult, certified_tree, one_blas_thread

__all__ = ["search_tree", "parallel_tree", "ROUND_SECONDS", "START_SHARE"]

ROUND_SECONDS = 15.0    # longest round between two deals of the open nodes
START_SHARE = 0.05      # share of the budget the main process may search alone before dealing
PER_WORKER = 8          # ... or until it has this many open nodes per worker


def search_tree(A, T, model: str, L: int, *, workers: int = 1, timeout: float = 60.0,
                max_nodes: int = 2_000_000, progress=None, news=None, incumbent=None,
                **opts) -> TreeResult:
    """:func:`prunecert.checks.instances.neuron_tree.certified_tree` (same options) on
    ``workers`` processes; 1 = in this process.
    ``incumbent`` (optional): a known subset as (E(S), S); ``news`` (optional, no arguments):
    asked now and then (between nodes or between rounds) for a subset found elsewhere, as
    (E(S), S) or None.  With ``incumbent_gap`` (see
    :class:`prunecert.checks.instances.neuron_tree.Search`) they lower the pruning threshold;
    their values only ever enter the bound through a minimum, so a wrong one cannot make it
    unsound."""
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= 64:
        raise ValueError("workers must be an integer from 1 to 64")
    if opts.get("branching", "fracsize") not in ("fracsize", "pseudocost", "strong"):
        raise ValueError(f"unknown branching rule {opts['branching']!r}")
    if workers > 1 and mp.current_process().daemon:
        # a daemonic process (a pool or sweep worker) may not start processes: search here
        if progress is not None:
            progress("tree: in a daemonic process, searching with one process")
        workers = 1
    if workers == 1:
        return certified_tree(A, T, model, L, timeout=timeout, max_nodes=max_nodes,
                              progress=progress, news=news, incumbent=incumbent, **opts)
    return parallel_tree(A, T, model, L, opts, timeout=timeout, max_nodes=max_nodes,
                         progress=progress, workers=workers, news=news, incumbent=incumbent)


def _worker(conn, A, T, model, L, opts):
    """A worker process: one Search, kept across rounds (its conflicts too)."""
    try:
        _blas = one_blas_thread()          # (applied at once, for the life of this process)
        s = Search(A, T, model, L, **opts)
        if s.pool is not None:
            s.pool.keep_log()
        conn.send(("ready",))
        while True:
            msg = conn.recv()
            if msg[0] == "yield":
                continue               # meant for a round that had already ended
            if msg[0] != "round":
                break
            _, tag, items, seconds, final, max_nodes, shared, incumbent = msg
            if s.pool is not None:
                s.pool.extend(shared)      # what the other processes learned since
            if incumbent is not None:
                s.offer(*incumbent)        # the best subset any process has met
            # in a round that is not the last, a message from the main process (a "yield": another
            # worker ran out of nodes) ends the round early, so the open nodes are dealt out again
            conn.send(("done",) + _round(s, tag, items, time.perf_counter() + seconds, final, max_nodes,
                                         stop=None if final else conn.poll))
    except (EOFError, KeyboardInterrupt):
        pass
    except BaseException as exc:  # pragma: no cover - reported to the main process
        try:
            conn.send(("error", repr(exc)))
        except Exception:
            pass


def _round(s: Search, tag: str, items, deadline: float, final: bool, max_nodes: int, progress=None,
           stop=None):
    """Search the given open nodes until the deadline (or ``stop()``); returns (subtrees, open
    items, exact values of the open items if final, nodes, leaf kinds, best enum leaf, the
    conflicts learned).  Keys of new open nodes are ``tag.id``."""
    heap = [s.root_item(key, bnd, fix, pyq) for key, bnd, fix, pyq in items]
    heapq.heapify(heap)
    nodes0, kinds0 = s.nodes, dict(s.kinds)
    s.run(heap, deadline, max_nodes=max_nodes, reserve=final, progress=progress, stop=stop)
    # the exact bound of every node left open (its parent's dual, or its interval bound)
    values = {f"{tag}.{it[2]}": s.open_value(it) for it in heap} if final else {}
    subtrees, open_items = s.export(heap, lambda nid: f"{tag}.{nid}")
    kinds = {k: v - kinds0.get(k, 0) for k, v in s.kinds.items()}
    learned = s.pool.drain() if s.pool is not None else []
    return subtrees, open_items, values, s.nodes - nodes0, kinds, s.best, learned


def _context():
    # fork: the workers inherit the data and start at once, and no __main__ module is re-imported
    # (spawn would re-run a user's unguarded script); spawn where fork does not exist
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def parallel_tree(A, T, model, L, opts: dict, *, timeout: float, max_nodes: int, progress,
                  workers: int, news=None, incumbent=None) -> TreeResult:
    t0 = time.perf_counter()
    deadline = t0 + timeout
    say = progress or (lambda msg: None)
    ctx = _context()
    procs, conns = [], []
    for _ in range(workers):
        a, b = ctx.Pipe()
        p = ctx.Process(target=_worker, args=(b, A, T, model, L, opts), daemon=True)
        p.start()
        b.close()
        procs.append(p)
        conns.append(a)
    try:
        with one_blas_thread():
            return _drive(A, T, model, L, opts, t0, deadline, max_nodes, say, conns, news, incumbent)
    finally:
        for c in conns:
            try:
                c.send(("stop",))
            except (OSError, ValueError):
                pass
        for p in procs:
            p.join(timeout=1.0)
            if p.is_alive():
                p.kill()
                p.join()
        for c in conns:
            c.close()


def _drive(A, T, model, L, opts, t0, deadline, max_nodes, say, conns, news=None,
           incumbent=None) -> TreeResult:
    main = Search(A, T, model, L, **opts)
    if incumbent is not None:
        main.offer(*incumbent)
    if main.pool is not None:
        main.pool.keep_log()
    heap = [main.root_item("root")]
    # the main process searches alone until there is work to share
    start_end = t0 + START_SHARE * (deadline - t0)
    main.run(heap, start_end, max_nodes=max_nodes, reserve=False, max_open=PER_WORKER * len(conns),
             news=news)
    nodes, kinds, best = main.nodes, dict(main.kinds), main.best
    if not heap or deadline - time.perf_counter() < 2.0:
        lower, tree = main.close(heap)
        return TreeResult(lower, not heap, main.L, tree, nodes=nodes, leaves=kinds,
                          seconds=time.perf_counter() - t0, best=best, cut=main.cut)
    grafts, frontier = main.export(heap, lambda nid: f"m.{nid}")
    ready = [c for c in conns
             if _receive(c, max(0.0, min(10.0, deadline - time.perf_counter() - 2.0)))[0] == "ready"]
    values: dict = {}            # exact bounds of the nodes left open at the end
    # conflicts learned by one process, to be passed to the others with their next round
    start = main.pool.drain() if main.pool is not None else []
    outbox = {c: list(start) for c in ready}

    def absorb(res, source=None):
        nonlocal nodes, best
        subtrees, open_items, vals, dn, dk, wbest, learned = res
        for c in ready:                # (a process that failed gets nothing more)
            if c is not source:
                outbox[c].extend(learned)
        grafts.update(subtrees)
        frontier.extend(open_items)
        values.update(vals)
        nodes += dn
        for k2, v in dk.items():
            kinds[k2] = kinds.get(k2, 0) + v
        if wbest is not None and (best is None or wbest[0] < best[0]):
            best = wbest

    rnd = 0
    while frontier and ready:
        inc = news() if news is not None else None
        if inc is not None and (best is None or inc[0] < best[0]):
            best = (int(inc[0]), tuple(int(i) for i in inc[1]))
        left = deadline - time.perf_counter()
        final = left < 2.0 * ROUND_SECONDS
        seconds = max(0.2, left - 1.5) if final else ROUND_SECONDS
        frontier.sort(key=lambda it: it[1])
        shares = [frontier[k::len(ready)] for k in range(len(ready))]
        if not final and not all(shares):
            seconds = min(seconds, 1.0)    # some worker has nothing: deal again soon
        rnd += 1
        sent, answered = [], []
        for k, (c, share) in enumerate(zip(ready, shares)):
            if share:
                c.send(("round", f"{rnd}.{k}", share, seconds, final,
                        max(1, (max_nodes - nodes) // len(ready)), outbox[c], best))
                outbox[c] = []
                sent.append((c, share))
            else:
                answered.append(c)         # nothing for it this round: still ready for the next
        frontier = []
        # a late or dead worker costs nothing but its share, which stays open (bounded here)
        end = deadline + 2.0 if final else min(time.perf_counter() + seconds + 30.0, deadline + 0.5)
        waiting = dict(sent)
        told = False
        while waiting:
            got = mp_wait(list(waiting), timeout=max(0.0, end - time.perf_counter()))
            if not got:
                break
            for c in got:
                share = waiting.pop(c)
                msg = _receive(c, 0.0)
                if msg[0] != "done":
                    say(f"tree: a worker failed ({msg[0]}{': ' + msg[1] if len(msg) > 1 else ''})")
                    frontier.extend(share)
                    continue
                answered.append(c)
                absorb(msg[1:], c)
            if waiting and not told and not final:
                # a worker ran out of nodes: end the round for the others, so that it gets work
                told = True
                for c in waiting:
                    try:
                        c.send(("yield",))
                    except (OSError, ValueError):
                        pass
        for c, share in waiting.items():
            say("tree: a worker failed (late)")
            frontier.extend(share)
        ready = answered
        low = min((it[1] for it in frontier), default=L)
        cut = L if best is None else main.cut_of(best[0])
        say(f"tree: {nodes} nodes, {len(frontier)} open, bound {low} / {cut} ({len(ready)} processes)")
        if final or nodes >= max_nodes:
            break
    if frontier and not ready and deadline - time.perf_counter() > 1.0:
        # no worker left (none started, or all failed): the main process goes on alone
        say("tree: no worker process answers; searching in this process")
        items, frontier = frontier, []
        if best is not None:
            main.offer(*best)
        absorb(_round(main, "m2", items, deadline, True, max(1, max_nodes - nodes), progress=say))
    # assemble: every placeholder becomes its subtree, or an lp leaf with its parent's dual.
    # Every leaf a process closed has value >= the cut it had then >= the cut of the final best
    # (a cut is a monotone function of the best value, the same in every process)
    cut = int(L) if best is None else main.cut_of(best[0])
    lower = cut if best is None else min(cut, best[0])
    pending = {}
    for key, bnd, fix, pyq in frontier:
        if key not in values:
            values[key] = main.open_value((bnd, 0, 0, fix, pyq))
        lower = min(lower, values[key])
        pending[key] = pyq
    tree = _expand("root", grafts, pending)
    return TreeResult(max(0, int(lower)), not frontier, main.L, tree, nodes=nodes, leaves=kinds,
                      seconds=time.perf_counter() - t0, best=best, cut=cut)


def _receive(conn, wait: float) -> tuple:
    """The worker's next message, or ("late",) / ("lost",) if none comes in ``wait`` seconds or
    the worker is gone."""
    try:
        return conn.recv() if conn.poll(wait) else ("late",)
    except (EOFError, OSError):
        return ("lost",)


def _expand(key, grafts, pending) -> list:
    """The preorder tree under ``key`` with every placeholder filled in."""
    out = []
    stack = [iter(grafts[key])]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
        elif entry[0] != "P":
            out.append(entry)
        elif entry[1] in grafts:
            stack.append(iter(grafts[entry[1]]))
        else:
            out.append(["L", {str(k): int(v) for k, v in pending[entry[1]].items()}])
    return out
