"""Documents handed to people: the client's case report (HTML for print, .xlsx) and the
page shell the app's transition plan shares. Pure builders plus one atomic writer."""
