"""職能圖譜 — the Streamlit explorer (placeholder until the app issue lands)."""

from __future__ import annotations

import streamlit as st


def main() -> None:
    st.set_page_config(page_title="職能圖譜", layout="wide")
    st.title("職能圖譜")


if __name__ == "__main__":
    main()
