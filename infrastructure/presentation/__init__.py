"""Between the application and read side and the front ends: what HTTP and the CLI show.

``queries`` is the one door of every read (authorised for the actor, with its defaults);
``reports`` the registry of reports (name, model, rows, CSV columns); ``states`` the shapes of
the aggregates; ``export`` every report as a table. It imports neither front end.
"""
