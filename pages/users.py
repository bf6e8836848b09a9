"""Users page for admins: add or invite users, change roles, the organisation's sign-up and sharing policy."""

from __future__ import annotations

import streamlit as st

from coach.errors import CoachError
from coach.storage.permissions import Permission, Role
from pages._auth import signed_in
from pages._resources import storage

actor = signed_in(Permission.MANAGE_USERS)
accounts = storage().accounts
organisation = accounts.organisation(actor)
ROLES = [role.value for role in Role]

st.title("Users")
st.caption(f"Organisation: {organisation.name}")

self_signup = st.toggle("Candidates may sign up by themselves", value=organisation.self_signup)
if self_signup != organisation.self_signup:
    accounts.set_self_signup(actor, self_signup)
    st.rerun()
share = st.toggle(
    "New answers are shared with reviewers unless the candidate unticks it",
    value=organisation.share_by_default,
)
if share != organisation.share_by_default:
    accounts.set_share_by_default(actor, share)
    st.rerun()

st.subheader("Add a user")
with st.form("add_user", clear_on_submit=True):
    email = st.text_input("Email")
    name = st.text_input("Name (optional)")
    role = st.selectbox("Role", ROLES)
    how = st.radio("How", ["Invitation code", "Password"], horizontal=True)
    password = st.text_input("Password (only with 'Password')", type="password")
    add = st.form_submit_button("Add the user")
if add:
    try:
        if how == "Invitation code":
            invitation = accounts.invite_user(actor, email, role, display_name=name)
            st.success(
                f"Invited {invitation.email}. Give them this code (shown once), valid until "
                f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC:"
            )
            st.code(invitation.code, language=None)
        else:
            member = accounts.create_user(actor, email, role, password, display_name=name)
            st.success(f"Created {member.email} ({member.role}).")
    except CoachError as exc:
        st.error(str(exc))

st.subheader("Members")
members = accounts.list_members(actor)
st.dataframe(
    [
        {
            "email": m.email,
            "name": m.display_name,
            "role": m.role.value,
            "status": "invited" if m.invited else ("active" if m.active else "disabled"),
            "last sign-in": f"{m.last_sign_in_at:%Y-%m-%d %H:%M}" if m.last_sign_in_at else "",
        }
        for m in members
    ],
    hide_index=True,
)
with st.form("change_role"):
    member = st.selectbox("Member", members, format_func=lambda m: f"{m.email} ({m.role.value})")
    new_role = st.selectbox("New role", ROLES, key="new_role")
    change = st.form_submit_button("Change the role")
if change and member is not None:
    try:
        accounts.set_role(actor, member.id, new_role)
    except CoachError as exc:
        st.error(str(exc))
    else:
        st.rerun()
