"""Pure rendering: what each message says and which buttons it has, from plain records."""
