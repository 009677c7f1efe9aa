"""Who is who: people and their channel identities, the linking of two channels of one
person, agency memberships, group chats bound to agencies, responsible officials and leaders,
and agencies' contact addresses."""
