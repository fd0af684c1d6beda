"""Server entry point: the Streamlit app (streamlit_app.py) plus the session-cookie endpoints.

Start with ``streamlit run app.py``: Streamlit finds ``app`` and serves the pages of
streamlit_app.py with the routes of ``learning.web`` beside them.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from learning.web import ClearSessionOnLogout, routes

app = st.App(Path(__file__).resolve().parent / "streamlit_app.py", routes=routes(),
             middleware=[Middleware(ClearSessionOnLogout)])
