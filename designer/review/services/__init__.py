"""The review services: plain keyword-only functions that views, sockets and the push/export gate call."""
