"""Audit events: what Discreet showed and what people did about it, for the security team's log pipeline.

An event names a category, a recognizer and a severity from the policy, never the text: the post, the
matched value and the roster entries stay on the machine. `events` is the model and its ECS shape,
`spec` reads a sink's address, `sinks` writes to syslog, journald, a file or the OS's own log, `dispatch`
keeps a slow sink from ever holding up a scan, and `report` turns events into the figures people tune by.
"""
