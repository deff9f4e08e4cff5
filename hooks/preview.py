"""Hook: under `make serve`, a saved page is rebuilt alone (logic: tpguide.preview).

- on_startup: a live preview session when the command is serve (none under build);
- on_config (priority 300, before any hook reads an input): the session notes every watched file;
- on_nav / on_env (priority -200, after every other plugin and hook): tell the session what this
  build made;
- on_serve: the session becomes the server's builder, and bib/, evidence/ and the snippet
  folders are watched too.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from tpguide import preview


def on_startup(*, command, **kwargs):
    preview.begin(command)


@event_priority(300)
def on_config(config, **kwargs):
    if (session := preview.session()) is not None:
        session.build_started(config)
    return config


@event_priority(-200)
def on_nav(nav, *, config, **kwargs):
    if (session := preview.session()) is not None:
        session.seen_nav(config, nav)
    return nav


@event_priority(-200)
def on_env(env, *, config, files, **kwargs):
    if (session := preview.session()) is not None:
        session.seen_env(config, env, files)
    return env


def on_serve(server, *, config, builder, **kwargs):
    if (session := preview.session()) is not None:
        session.install(server, builder)
    return server
